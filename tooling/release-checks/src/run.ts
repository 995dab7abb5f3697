import { spawn } from 'node:child_process';

export interface RunOptions {
  readonly cwd: string;
  /** Kill the command after this long; default 2 minutes. */
  readonly timeoutMs?: number | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

export interface RunResult {
  /** The exit status, or undefined when a signal ended the command. */
  readonly status: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** How many trailing lines of output an error message carries. */
const TAIL_LINES = 20;

/**
 * Runs a command without a shell and resolves with its status and output whatever the status, so
 * that callers decide what a non-zero exit means (attw exits 1 when it found problems). Rejects
 * only when the command could not be started or ran past its timeout.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not run ${command} in ${options.cwd}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new Error(`${describe(command, args)} in ${options.cwd} ran longer than ${timeoutMs} ms.`));
        return;
      }
      resolve({
        status: code ?? undefined,
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      });
    });
  });
}

/** The command line as text, for messages. */
export function describe(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

/** The last lines of a command's output, for failure messages. */
export function tail(text: string): string {
  return text.trim().split('\n').slice(-TAIL_LINES).join('\n');
}

/**
 * How to start pnpm from a child process. Under `pnpm test` (and CI's `npx pnpm@…`) pnpm may not be
 * on PATH, but it tells its children where its entry script is in `npm_execpath`.
 */
export function pnpmCommand(env: NodeJS.ProcessEnv = process.env): { command: string; prefix: string[] } {
  const execPath = env.npm_execpath;
  if (execPath !== undefined && /pnpm(\.c?js)?$/.test(execPath)) {
    return { command: process.execPath, prefix: [execPath] };
  }
  return { command: 'pnpm', prefix: [] };
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of `items`. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
