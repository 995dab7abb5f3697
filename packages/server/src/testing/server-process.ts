/**
 * Test helper: the built server (`dist/cli.js`) as a child process, as an operator runs it. Used by
 * the command-line tests, the kill-mid-launch test and the browser test; `pnpm test` builds the
 * package before it runs the tests, so `dist` is there.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the URL the banner prints, or rejects with the output if the process exits first. */
  readonly ready: Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Sends the signal (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface ServerProcessOptions {
  /** The server's environment on top of a minimal one (PATH, HOME); PORT defaults to 0. */
  readonly env: Readonly<Record<string, string>>;
  readonly args?: readonly string[] | undefined;
}

const LISTENING = /SlipStream server listening on (http:\/\/\S+)/;

export function spawnServer(options: ServerProcessOptions): ServerProcess {
  const child = spawn(process.execPath, [CLI, ...(options.args ?? [])], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      SLIPSTREAM_LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  const ready = new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const match = LISTENING.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', check);
    void exited.then((status) =>
      reject(new Error(`the server exited (${status}) before it was ready:\n${out}\n${err}`)),
    );
  });
  // A test that never awaits `ready` must not fail on an unhandled rejection.
  ready.catch(() => undefined);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    ready,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
