import { ConnectorError, throwIfAborted } from './errors.js';

export interface PollOptions {
  /** Pause between two checks, in milliseconds. */
  readonly interval: number;
  /** With a longer `maxInterval`, each pause is half as long again as the one before, up to it. */
  readonly maxInterval?: number | undefined;
  /** Give up this long after the start, in milliseconds. */
  readonly timeout: number;
  readonly signal?: AbortSignal | undefined;
  /** Pause before the first check too, for work that cannot be done yet (a job just started). */
  readonly pauseFirst?: boolean | undefined;
  /** What is waited for, for the default messages: "CloudStack job 42". */
  readonly what?: string | undefined;
  /** The error when time runs out; by default TIMEOUT naming `what` and the timeout. */
  readonly timeoutError?: (() => Error) | undefined;
}

/**
 * The one wait loop: calls `check` until it returns something other than undefined, pausing in
 * between, and returns that. `check` throws to end the wait with a failure. Time running out is
 * TIMEOUT (or `timeoutError()`), the signal firing ABORTED, whether during a check or a pause;
 * the last check happens at the deadline, never after it.
 */
export async function poll<T>(
  options: PollOptions,
  check: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const what = options.what ?? 'The wait';
  const deadline = Date.now() + options.timeout;
  let interval = Math.max(0, options.interval);
  const maxInterval = Math.max(interval, options.maxInterval ?? interval);
  for (let first = true; ; first = false) {
    if (!(first && options.pauseFirst)) {
      throwIfAborted(options.signal, what);
      const result = await check();
      if (result !== undefined) return result;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw (
        options.timeoutError?.() ??
        new ConnectorError('TIMEOUT', `${what} did not finish within ${options.timeout} ms.`)
      );
    }
    await sleep(Math.min(interval, remaining), options.signal);
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}

/** A sleep that ends early, rejecting with `onAbort()` (ABORTED by default), when the signal fires. */
export function sleep(
  ms: number,
  signal?: AbortSignal,
  onAbort: () => Error = () =>
    new ConnectorError('ABORTED', 'The wait was aborted.', { cause: signal?.reason }),
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(onAbort());
      return;
    }
    const abort = (): void => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
