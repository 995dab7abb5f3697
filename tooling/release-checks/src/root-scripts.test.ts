import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pnpmCommand, runCommand } from './run.js';

/**
 * The root scripts an operator types in the repository (`pnpm start`, `pnpm slipstream …`) build
 * first without turbo's dozen lines of header and summary, and Ctrl+C ends `pnpm start` quietly
 * instead of with pnpm's red "ELIFECYCLE Command failed" (see scripts/built.js for why it did).
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

/** The environment pnpm gives a script, without what the pnpm running these tests set for its own. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'),
  );
  return { ...env, NO_COLOR: '1', ...extra };
}

// What turbo prints around a run; none of it may reach an operator's terminal.
const TURBO_CHATTER = /Packages in scope|Remote caching|Tasks:\s+\d|Cached:\s+\d|FULL TURBO/;

describe('root scripts', () => {
  it('`pnpm slipstream --version` prints the version without turbo output', async () => {
    const pnpm = pnpmCommand();
    const result = await runCommand(pnpm.command, [...pnpm.prefix, '--silent', 'slipstream', '--version'], {
      cwd: root,
      env: cleanEnv({}),
      timeoutMs: 180_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(output).not.toMatch(TURBO_CHATTER);
  }, 200_000);

  it('Ctrl+C on `pnpm start` stops the server with status 0 or 130 and no ELIFECYCLE', async () => {
    const home = await mkdtemp(join(tmpdir(), 'slipstream-start-'));
    scratch.push(home);
    const pnpm = pnpmCommand();
    // Its own process group, as a terminal's foreground job: Ctrl+C signals the whole group.
    const child = spawn(pnpm.command, [...pnpm.prefix, 'start'], {
      cwd: root,
      env: cleanEnv({ PORT: '0', HOST: '127.0.0.1', SLIPSTREAM_HOME: join(home, 'data') }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error('pnpm start did not start');
    try {
      const listening = await Promise.race([
        new Promise<boolean>((resolve) => {
          const check = (): void => {
            if (/listening on http/.test(output)) resolve(true);
          };
          child.stdout.on('data', check);
          child.stderr.on('data', check);
        }),
        exited.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 180_000)),
      ]);
      expect(listening, `pnpm start did not say "listening on":\n${output}`).toBe(true);
      process.kill(-pid, 'SIGINT');
      const { code, signal } = await exited;
      expect(signal, output).toBeNull();
      expect([0, 130], output).toContain(code);
      expect(output).not.toMatch(/ELIFECYCLE/);
      expect(output).not.toMatch(/again, exiting now/);
      expect(output).not.toMatch(TURBO_CHATTER);
    } finally {
      // Whatever happened above, nothing of the group outlives the test.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, 240_000);
});
