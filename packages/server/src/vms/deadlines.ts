/**
 * Deadlines for the cloud calls the server makes on a request's behalf, and the stop that ends
 * them. A cloud that hangs must cost a listing a few seconds, not minutes (the transport's own
 * timeouts and retries allow several), and a server asked to stop must not wait for it.
 *
 * Every call gets a signal that fires at its deadline or when the server stops after a short
 * grace period. Connectors (through core's session guard) give up at once when it fires, even if
 * their own code does not listen; the error then says which of the two happened.
 */

import { setMaxListeners } from 'node:events';
import { ConnectorError, KeyedLock, raceSignal } from '@slipstream/connector-core';

/** Listings (VM lists, catalogs) answer quickly or not at all; actions may wait for the cloud. */
export type CallKind = 'list' | 'action';

export interface CallDeadlines {
  /** Deadline of a listing call (SLIPSTREAM_LIST_TIMEOUT_MS). */
  readonly listTimeoutMs: number;
  /** Deadline of a launch, termination, stop or start (SLIPSTREAM_ACTION_TIMEOUT_MS). */
  readonly actionTimeoutMs: number;
}

export const DEFAULT_DEADLINES: CallDeadlines = { listTimeoutMs: 8_000, actionTimeoutMs: 120_000 };

const SETTING: Readonly<Record<CallKind, string>> = {
  list: 'SLIPSTREAM_LIST_TIMEOUT_MS',
  action: 'SLIPSTREAM_ACTION_TIMEOUT_MS',
};

const DEADLINE = Symbol('deadline');
const STOP = Symbol('stop');

export class CloudCalls {
  readonly #deadlines: CallDeadlines;
  readonly #stopping = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  /**
   * Launches of one record, one at a time: a request and the reconciler (or two requests) never
   * ask the cloud for the same record's VMs at once.
   */
  readonly launches = new KeyedLock();

  constructor(deadlines: CallDeadlines = DEFAULT_DEADLINES) {
    this.#deadlines = deadlines;
    // One listener per call in flight: a busy server has far more than Node's warning threshold of 10.
    setMaxListeners(0, this.#stopping.signal);
  }

  /** True once stop() has aborted the calls. */
  get stopped(): boolean {
    return this.#stopping.signal.aborted;
  }

  /**
   * Runs `call` with a signal that fires at the deadline of its kind or when the server stops.
   * A call that outlives it is abandoned: TIMEOUT at the deadline, CLOUD_UNAVAILABLE on a stop.
   */
  async run<T>(instance: string, kind: CallKind, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const timeoutMs = kind === 'list' ? this.#deadlines.listTimeoutMs : this.#deadlines.actionTimeoutMs;
    const controller = new AbortController();
    const onStop = (): void => controller.abort(STOP);
    if (this.#stopping.signal.aborted) onStop();
    else this.#stopping.signal.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(() => controller.abort(DEADLINE), timeoutMs);
    const work = (async () => {
      try {
        // Raced too, so that work before the connector's first call (opening a session) is bounded.
        return await raceSignal(
          Promise.resolve().then(() => call(controller.signal)),
          controller.signal,
          `A call to "${instance}"`,
        );
      } catch (error) {
        if (controller.signal.reason === DEADLINE) {
          throw new ConnectorError(
            'TIMEOUT',
            `"${instance}" did not answer within ${seconds(timeoutMs)} (${SETTING[kind]}); try again later, or ask an administrator to check the cloud.`,
            { instance, cause: error },
          );
        }
        if (controller.signal.reason === STOP) {
          throw new ConnectorError(
            'CLOUD_UNAVAILABLE',
            `The server is stopping: the call to "${instance}" was abandoned; try again once it is back.`,
            { instance, cause: error },
          );
        }
        throw error;
      } finally {
        clearTimeout(timer);
        this.#stopping.signal.removeEventListener('abort', onStop);
      }
    })();
    this.#inFlight.add(work);
    const forget = (): void => {
      this.#inFlight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /**
   * Lets the calls in flight finish for up to `graceMs`, then aborts those still running and every
   * later one, and resolves once all have let go.
   */
  async stop(graceMs: number): Promise<void> {
    if (!this.stopped) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...this.#inFlight]), grace]);
      clearTimeout(timer);
      this.#stopping.abort();
    }
    await Promise.allSettled([...this.#inFlight]);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
