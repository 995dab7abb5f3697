/**
 * What every `slipstream` command is: a name, its help, and a run function over an injectable
 * console, so tests drive commands in-process with captured output and a fake environment.
 */

import type { Readable, Writable } from 'node:stream';

/** Exit statuses, documented in `slipstream --help` and the README. */
export const EXIT = {
  OK: 0,
  /** The command ran and found problems (e.g. `config check` with an invalid list). */
  PROBLEMS: 1,
  /** Bad usage: unknown command or flag, missing or malformed argument. */
  USAGE: 2,
  /** Something outside failed: the registry is unreachable or answered garbage, a package manager failed. */
  EXTERNAL: 3,
  /** Interrupted with Ctrl+C. */
  INTERRUPTED: 130,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

export interface CommandIo {
  readonly stdout: Writable & { readonly isTTY?: boolean | undefined };
  readonly stderr: Writable & { readonly isTTY?: boolean | undefined };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Where a value given as "-" is read from (secrets kept out of shell history); none when absent. */
  readonly stdin?: Readable | undefined;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
  readonly signal: AbortSignal;
}

export interface Command {
  /** Words that select the command: `['connectors', 'search']`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text: usage line, arguments, flags, exit statuses. */
  readonly help: string;
  /** `args` are the words after the command's path. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}
