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

  it('prints the help and exits 0 when given nothing', async () => {
    const run = await cli([]);
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain('Usage: slipstream <command>');
    expect(run.stderr).toBe('');
  });

  it('has a help command, for slipstream, a group and each command', async () => {
    const top = await cli(['help']);
    expect(top.status).toBe(EXIT.OK);
    expect(top.stdout).toBe((await cli(['--help'])).stdout);
    expect(top.stdout).toMatch(/^ {2}help \[command\]\s/m);
    for (const command of COMMANDS) {
      const run = await cli(['help', ...command.path]);
      expect(run.status).toBe(EXIT.OK);
      expect(run.stdout).toBe(command.help);
    }
    const group = await cli(['help', 'connectors']);
    expect(group.status).toBe(EXIT.OK);
    expect(group.stdout).toContain('connectors remove');
    const unknown = await cli(['help', 'connectors', 'serch']);
    expect(unknown.status).toBe(EXIT.USAGE);
    expect(unknown.stderr).toContain('unknown command "connectors serch"; did you mean "connectors search"?');
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

  it('names an unknown flag, top-level and per command, in the style of an unknown command', async () => {
    const top = await cli(['--frob']);
    expect(top.status).toBe(EXIT.USAGE);
    expect(top.stderr).toContain('slipstream: unknown flag "--frob".');
    const command = await cli(['connectors', 'list', '--verbose=yes']);
    expect(command.status).toBe(EXIT.USAGE);
    expect(command.stderr).toContain('slipstream connectors list: unknown flag "--verbose".');
    const missing = await cli(['connectors', 'list', '--home']);
    expect(missing.status).toBe(EXIT.USAGE);
    expect(missing.stderr).toContain('slipstream connectors list: flag "--home" needs a value.');
    const unknown = await cli(['frobnicate']);
    expect(unknown.stderr).toContain('slipstream: unknown command "frobnicate".');
    // One style: after "slipstream[ command]: ", a message starts in lower case.
    for (const run of [top, command, missing, unknown]) expect(run.stderr).toMatch(/^slipstream[^:]*: [a-z]/);
  });

  it.each([
    [['connectors', 'list']],
    [['connectors', 'add', 'cloudstack']],
    [['connectors', 'remove', 'cloudstack']],
    [['server']],
  ])('refuses a --home that does not exist in %j', async (argv) => {
    const run = await cli([...argv, '--home', '/nonexistent/slipstream-home']);
    expect(run.status).toBe(EXIT.USAGE);
    expect(run.stderr).toContain(
      '--home /nonexistent/slipstream-home: /nonexistent/slipstream-home does not exist',
    );
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
