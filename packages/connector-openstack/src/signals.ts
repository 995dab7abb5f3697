import { ConnectorError } from '@slipstream/connector-core';

/**
 * Waits for a promise shared by several callers, giving up (ABORTED) when this caller's signal
 * fires; the shared work goes on for the others.
 */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (!signal) return promise;
  const aborted = (): ConnectorError =>
    new ConnectorError('ABORTED', `${what} was aborted by its caller.`, { cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
