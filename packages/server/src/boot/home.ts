import { stat } from 'node:fs/promises';
import { ServerError } from '../errors.js';

/** How long the home directory may take to answer before the start is refused. */
export const HOME_ANSWER_TIMEOUT_MS = 10_000;

export interface HomeCheckOptions {
  /** The file-system call probed; node's `stat` by default (tests give one that never answers). */
  readonly stat?: ((path: string) => Promise<{ isDirectory(): boolean }>) | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * Checks the server's home before the store is opened. The store is SQLite, whose calls block the
 * whole process: a home on a network mount that does not answer would hang the start without a
 * word, so the path is first probed off the main thread with a deadline. A home that is a file is
 * named as such, rather than as a permission problem of its parent. A missing home is fine: it is
 * created.
 */
export async function checkHome(home: string, options: HomeCheckOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? HOME_ANSWER_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let answer: { isDirectory(): boolean } | 'timeout' | NodeJS.ErrnoException;
  try {
    answer = await Promise.race([(options.stat ?? stat)(home), deadline]).catch(
      (error: NodeJS.ErrnoException) => error,
    );
  } finally {
    clearTimeout(timer);
  }
  if (answer === 'timeout') {
    throw new ServerError(
      'CONFIG_INVALID',
      `The server's home ${home} (SLIPSTREAM_HOME) did not answer within ${timeoutMs / 1000} s: is it on a network file system that is down? Fix the mount, or set SLIPSTREAM_HOME to a local directory.`,
    );
  }
  if (answer instanceof Error) {
    if (answer.code === 'ENOENT') return;
    const why =
      answer.code === 'ENOTDIR'
        ? 'a part of its path is a file, not a directory'
        : answer.code === 'EACCES'
          ? 'the server may not read it (permission denied)'
          : `it cannot be read (${answer.code ?? answer.message})`;
    throw new ServerError(
      'CONFIG_INVALID',
      `The server's home ${home} (SLIPSTREAM_HOME) cannot be used: ${why}. Set SLIPSTREAM_HOME to a directory the server may write.`,
    );
  }
  if (!answer.isDirectory()) {
    throw new ServerError(
      'CONFIG_INVALID',
      `The server's home ${home} (SLIPSTREAM_HOME) is a file, not a directory. Set SLIPSTREAM_HOME to a directory (it is created when missing).`,
    );
  }
}
