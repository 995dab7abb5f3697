import { ConnectorError } from './errors.js';

/**
 * Waits for `promise` on behalf of one caller, rejecting ABORTED as soon as that caller's signal
 * fires. The promise itself goes on: it is shared work (a token request, a cached listing) that
 * other callers still wait for, or a connector call whose late outcome is then simply ignored.
 */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (!signal) return promise;
  const aborted = (): ConnectorError =>
    new ConnectorError('ABORTED', `${what} was aborted by its caller.`, { cause: signal.reason });
  if (signal.aborted) {
    // Abandoned: its failure, if any, is nobody's to handle.
    promise.catch(() => {});
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
