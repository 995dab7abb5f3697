/**
 * Where a simulated cloud reads the time. VM and job transitions are computed from timestamps when
 * a request asks, not driven by timers: a stopped simulator leaves nothing running, and a test can
 * move a manual clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, like `Date.now()`. */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  #time: number;

  constructor(start: number = Date.UTC(2026, 0, 1)) {
    this.#time = start;
  }

  now(): number {
    return this.#time;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`A clock only moves forward; got ${ms} ms.`);
    this.#time += ms;
  }
}
