import { describe, expect, it } from 'vitest';
import { parseArgs, usage } from './cli-args.js';

const CLOUDS = ['cloudstack', 'exoscale'];

describe('parseArgs', () => {
  it('reads the cloud and every option', () => {
    const parsed = parseArgs(
      [
        'cloudstack',
        '--port',
        '8080',
        '--key',
        'k',
        '--secret',
        's',
        '--boot-delay-ms',
        '20',
        '--seed-vms',
        '3',
      ],
      CLOUDS,
    );
    expect(parsed).toEqual({
      kind: 'run',
      command: {
        cloud: 'cloudstack',
        port: 8080,
        host: '127.0.0.1',
        key: 'k',
        secret: 's',
        bootDelayMs: 20,
        haltDelayMs: undefined,
        seedVms: 3,
      },
    });
  });

  it('defaults to a random port on loopback', () => {
    const parsed = parseArgs(['exoscale'], CLOUDS);
    expect(parsed.kind === 'run' && parsed.command).toMatchObject({ port: 0, host: '127.0.0.1', seedVms: 0 });
  });

  it('reports every problem at once', () => {
    const parsed = parseArgs(['ec3', '--port', '70000', '--verbose', '--key', 'k'], CLOUDS);
    expect(parsed.kind).toBe('error');
    const problems = parsed.kind === 'error' ? parsed.problems : [];
    expect(problems).toEqual([
      'Unknown cloud "ec3": choose one of cloudstack, exoscale.',
      'Unknown option "--verbose"; see --help.',
      'Option --port must be a whole number from 0 to 65535; got "70000".',
      'Give --key and --secret together, or neither for a random pair.',
    ]);
  });

  it('asks for the cloud when the first word is an option', () => {
    const parsed = parseArgs(['--port', '1'], CLOUDS);
    expect(parsed.kind === 'error' && parsed.problems[0]).toMatch(/Name the cloud to simulate first/);
  });

  it('refuses an option without its value', () => {
    const parsed = parseArgs(['cloudstack', '--port'], CLOUDS);
    expect(parsed.kind === 'error' && parsed.problems).toEqual(['Option --port needs a value.']);
  });

  it('answers --help with the usage naming every cloud', () => {
    expect(parseArgs(['cloudstack', '--help'], CLOUDS)).toEqual({ kind: 'help' });
    expect(usage(CLOUDS)).toContain('slipstream-sim <cloudstack|exoscale>');
  });
});
