import { spawn } from 'node:child_process';

export interface RunOptions {
  /** The command's environment; this process's by default. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly cwd?: string | undefined;
  /** Kill the command after this long; default 5 minutes. */
  readonly timeoutMs?: number | undefined;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** How many trailing lines of output a failure message carries. */
const TAIL_LINES = 30;

/**
 * Runs one command to completion (no shell: arguments are passed as they are) and rejects with its
 * exit status and the tail of its output, which is where a failing program says why.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 5 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
      if (code === 0) {
        resolve(result);
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      reject(
        new Error(`${[command, ...args].join(' ')} ${how}:\n${tail(`${result.stdout}\n${result.stderr}`)}`),
      );
    });
  });
}

/** The last lines of a command's output, for error messages. */
export function tail(text: string, lines = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
