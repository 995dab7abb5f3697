import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Command, EXIT } from './command.js';
import { COMMANDS } from './commands/index.js';
import { defineCommand } from './define.js';
import { runCli, version } from './dispatch.js';
import { captureIo, cli } from './testing/io.js';

describe('slipstream (dispatcher)', () => {
  it('lists every command and the exit statuses in --help', async () => {
    const run = await cli(['--help']);
    expect(run.status).toBe(EXIT.OK);
    for (const command of COMMANDS) expect(run.stdout).toContain(`${command.path.join(' ')}  `);
    for (const status of Object.values(EXIT)) expect(run.stdout).toMatch(new RegExp(`^  ${status}\\s`, 'm'));
  });

  it('shows the usage with a usage status when given nothing', async () => {
    const run = await cli([]);
    expect(run.status).toBe(EXIT.USAGE);
    expect(run.stdout).toContain('Usage: slipstream <command>');
  });

  it('prints its version', async () => {
    const run = await cli(['--version']);
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout.trim()).toBe(version());
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('has --help on every command, naming its exit statuses', async () => {
    for (const command of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const run = await cli([...command.path, flag]);
        expect(run.status).toBe(EXIT.OK);
        expect(run.stdout).toContain(`Usage: slipstream ${command.path.join(' ')}`);
        expect(run.stdout).toContain('Exit statuses:');
      }
    }
  });

  it('lists a group of commands', async () => {
    const run = await cli(['connectors', '--help']);
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain('connectors search');
    expect(run.stdout).not.toMatch(/^\s+config check\s/m);
  });

  it.each([
    [['conectors', 'list'], 'unknown command "conectors"; did you mean "connectors"?'],
    [['connectors', 'serch'], 'unknown command "connectors serch"; did you mean "connectors search"?'],
    [['confg', 'check', 'x'], 'unknown command "confg"; did you mean "config"?'],
    [['frobnicate'], 'unknown command "frobnicate".'],
  ])('rejects unknown command %j with a suggestion', async (argv, message) => {
    const run = await cli(argv);
    expect(run.status).toBe(EXIT.USAGE);
    expect(run.stderr).toContain(message);
  });

  it('names an unknown flag, top-level and per command', async () => {
    const top = await cli(['--frob']);
    expect(top.status).toBe(EXIT.USAGE);
    expect(top.stderr).toContain('unknown flag "--frob"');
    const command = await cli(['connectors', 'list', '--verbose=yes']);
    expect(command.status).toBe(EXIT.USAGE);
    expect(command.stderr).toContain('Unknown flag "--verbose"');
    const missing = await cli(['connectors', 'list', '--home']);
    expect(missing.status).toBe(EXIT.USAGE);
    expect(missing.stderr).toContain('Flag "--home" needs a value');
  });

  it('reports an unexpected failure of a command without crashing', async () => {
    const failing: Command = defineCommand({
      path: ['boom'],
      summary: 'fails',
      help: 'Usage: slipstream boom',
      json: true,
      run: () => Promise.reject(new Error('kaput')),
    });
    const io = captureIo();
    expect(await runCli(['boom', '--json'], io, [failing])).toBe(EXIT.EXTERNAL);
    expect(JSON.parse(io.out())).toEqual({
      error: { code: 'INTERNAL', message: 'slipstream boom failed unexpectedly: kaput' },
    });
  });
});

const exec = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../dist/cli.js');

describe('the built dist/cli.js', () => {
  beforeAll(() => {
    // `pnpm test` builds first (turbo: test depends on build); a bare vitest run needs `pnpm build`.
    if (!existsSync(BIN))
      throw new Error(`${BIN} is missing: run "pnpm --filter @slipstream/cli build" first.`);
  });

  it('prints help and exits 0', async () => {
    const { stdout } = await exec(process.execPath, [BIN, '--help']);
    expect(stdout).toContain('Usage: slipstream <command>');
    expect(stdout).toContain('connectors search');
  });

  it('exits with the usage status on an unknown command', async () => {
    const failure = await exec(process.execPath, [BIN, 'connectors', 'serch']).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: EXIT.USAGE });
    expect((failure as { stderr: string }).stderr).toContain('did you mean "connectors search"?');
  });
});
