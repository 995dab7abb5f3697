/**
 * Where the local cloud reads the time. State transitions are computed from timestamps when asked
 * for, not driven by timers, so a clock is all the model needs: nothing to clean up, and a test
 * can move time forward instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, like `Date.now()`. */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that moves only when told to: deterministic tests and demos. */
export class ManualClock implements Clock {
  #time: number;

  /** Starts at `start` (epoch ms); a fixed default keeps `createdAt` values stable across runs. */
  constructor(start: number = Date.UTC(2025, 0, 1)) {
    this.#time = start;
  }

  now(): number {
    return this.#time;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`A clock only moves forward; got ${ms} ms.`);
    this.#time += ms;
  }
}
