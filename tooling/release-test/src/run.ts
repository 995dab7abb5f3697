import { type ChildProcess, spawn } from 'node:child_process';

export interface RunOptions {
  readonly cwd: string;
  /** The whole environment of the command (not merged with this process's). */
  readonly env: NodeJS.ProcessEnv;
  /** Kill the command after this long. */
  readonly timeoutMs: number;
  /** Values replaced by `***` in everything this module returns or throws (the registry token). */
  readonly secrets?: readonly string[] | undefined;
  /** Resolve instead of rejecting on a non-zero exit (the caller checks `status`). */
  readonly allowFailure?: boolean | undefined;
}

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How many trailing lines of output a failure message carries: where npm and node-gyp say why. */
const TAIL_LINES = 40;

/**
 * Runs one command to completion without a shell (arguments are passed as they are). A failure
 * rejects with the command line, its exit status and the tail of its output, secrets redacted.
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const redact = redactor(options.secrets ?? []);
  const commandLine = redact([command, ...args].join(' '));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not start ${commandLine} in ${options.cwd}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = {
        status: code ?? -1,
        stdout: redact(Buffer.concat(stdout).toString('utf8')),
        stderr: redact(Buffer.concat(stderr).toString('utf8')),
      };
      if (code === 0 || (options.allowFailure === true && !timedOut && signal === null)) {
        resolve(result);
        return;
      }
      const how = timedOut
        ? `did not finish within ${options.timeoutMs / 1000} s and was killed`
        : signal !== null
          ? `was killed by ${signal}`
          : `exited with status ${code}`;
      reject(
        new Error(
          `${commandLine} (in ${options.cwd}) ${how}:\n${tail(`${result.stdout}\n${result.stderr}`)}`,
        ),
      );
    });
  });
}

/** The last lines of a command's output, for failure messages. */
export function tail(text: string, lines = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Replaces every occurrence of each (non-empty) secret with `***`. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((secret) => secret.length > 0);
  return (text) => values.reduce((result, secret) => result.split(secret).join('***'), text);
}

/**
 * Stops a child started in its own process group (`detached: true`) and everything it started:
 * SIGTERM to the group, SIGKILL after `graceMs`, and SIGTERM once more after it exits, for what it
 * left running in the background.
 */
export async function killGroup(
  child: ChildProcess,
  exited: Promise<unknown[]>,
  graceMs = 5_000,
): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGTERM');
}
