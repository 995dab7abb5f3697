/**
 * Runs work one piece at a time per key, pieces with other keys alongside: a FIFO chain per key,
 * dropped when idle. Connectors serialize launches with the same idempotency key on one instance
 * with it, so that two concurrent tries cannot both find nothing and both create.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier piece with this key has settled; a failure does not block the next. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    this.#tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === current) this.#tails.delete(key);
    }
  }

  /** Keys with work running or queued. */
  get size(): number {
    return this.#tails.size;
  }
}
