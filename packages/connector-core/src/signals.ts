import { setMaxListeners } from 'node:events';
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

/**
 * `ask(0)` … `ask(count - 1)` with at most `workers` in flight, answers in index order: the pages
 * of a list after the first, or chunks of ids, asked together so that they cost a few round trips
 * rather than one each (the transport's `max.iaas.workers` cap still holds across all calls). The
 * first failure aborts the others (the signal each `ask` gets), waits for them to settle, and is
 * thrown; so does the caller's `signal`. One listener on the caller's signal, removed at the end,
 * so that repeated calls with one signal do not pile up listeners.
 */
export async function askTogether<T>(
  count: number,
  workers: number,
  signal: AbortSignal | undefined,
  ask: (index: number, signal: AbortSignal) => Promise<T>,
): Promise<T[]> {
  const answers: T[] = new Array(Math.max(0, count));
  if (count <= 0) return answers;
  const abort = new AbortController();
  // Every ask in flight listens on it (its request, its retry waits): with more than a few workers
  // that passes Node's warning threshold of 10 without any leak, as the signal dies with this call.
  setMaxListeners(0, abort.signal);
  const forward = (): void => abort.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && failure === undefined) {
      const index = next;
      next += 1;
      try {
        answers[index] = await ask(index, abort.signal);
      } catch (error) {
        failure ??= { error };
        abort.abort();
      }
    }
  };
  try {
    const runners = Math.min(Math.max(1, Math.floor(workers) || 1), count);
    await Promise.all(Array.from({ length: runners }, worker));
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  if (failure) throw failure.error;
  return answers;
}
