/**
 * At most `limit` operations in flight per key: a bound on concurrent password checks per user
 * name and per client address, so that a burst of logins cannot occupy every core with scrypt.
 * Only keys with something in flight are remembered, so memory is bounded by the concurrency.
 */
export class InFlightLimit {
  readonly #limit: number;
  readonly #counts = new Map<string, number>();

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`An in-flight limit is at least 1; got ${limit}.`);
    this.#limit = limit;
  }

  /** Enters for `key` and returns how to leave; undefined when `limit` are in flight already. */
  tryEnter(key: string): (() => void) | undefined {
    const count = this.#counts.get(key) ?? 0;
    if (count >= this.#limit) return undefined;
    this.#counts.set(key, count + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const now = (this.#counts.get(key) ?? 1) - 1;
      if (now <= 0) this.#counts.delete(key);
      else this.#counts.set(key, now);
    };
  }

  /** Keys with something in flight. */
  get size(): number {
    return this.#counts.size;
  }
}
