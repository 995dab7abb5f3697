import { Readable, Writable } from 'node:stream';
import type { CommandIo } from '../command.js';
import { runCli } from '../dispatch.js';

/** A CommandIo whose output is captured, for driving commands in-process. */
export interface CapturedIo extends CommandIo {
  readonly out: () => string;
  readonly err: () => string;
  readonly controller: AbortController;
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export function captureIo(
  options: { env?: Record<string, string | undefined>; cwd?: string; tty?: boolean; stdin?: string } = {},
): CapturedIo {
  const stdout = new Capture(options.tty ?? false);
  const stderr = new Capture(options.tty ?? false);
  const controller = new AbortController();
  return {
    stdout,
    stderr,
    // Never the real environment: a developer's npm_config_registry or NO_COLOR must not leak in.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    cwd: options.cwd ?? process.cwd(),
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([options.stdin]) }),
    signal: controller.signal,
    controller,
    out: () => stdout.text,
    err: () => stderr.text,
  };
}

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly io: CapturedIo;
}

export async function cli(
  argv: readonly string[],
  options: Parameters<typeof captureIo>[0] = {},
): Promise<CliRun> {
  const io = captureIo(options);
  const status = await runCli(argv, io);
  return { status, stdout: io.out(), stderr: io.err(), io };
}

export function json(run: CliRun): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
