import { ConnectorError, poll } from '@slipstream/connector-core';

/**
 * EC2 is eventually consistent: right after RunInstances, a call naming the new instances (our
 * CreateTags) may be refused with InvalidInstanceID.NotFound for a few seconds. AWS's advice is to
 * retry with a growing pause; this does so through core's poll, for calls that are safe to repeat.
 */
export interface ConsistencyWait {
  /** First pause, in ms; each next one is half as long again, up to 5 s. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export const CONSISTENCY_WAIT = Object.freeze({ intervalMs: 500, timeoutMs: 60_000 });

/** Runs `call` until EC2 stops answering that the instances it names do not exist (yet). */
export function untilInstancesVisible<T>(
  what: string,
  wait: ConsistencyWait,
  call: () => Promise<T>,
): Promise<T> {
  let last: ConnectorError | undefined;
  return poll(
    {
      interval: wait.intervalMs,
      maxInterval: 5_000,
      timeout: wait.timeoutMs,
      signal: wait.signal,
      what,
      timeoutError: () =>
        last ?? new ConnectorError('TIMEOUT', `${what} did not succeed within ${wait.timeoutMs} ms.`),
    },
    async () => {
      try {
        return { value: await call() };
      } catch (error) {
        if (ConnectorError.is(error) && error.code === 'NOT_FOUND') {
          last = error;
          return undefined;
        }
        throw error;
      }
    },
  ).then((result) => result.value);
}
