/**
 * Instances this connector instance deleted, remembered so that terminating one again succeeds
 * after Exoscale has forgotten it (GET and DELETE then answer 404, exactly as for an id that
 * never existed). Held in memory per connector instance, keyed by API key, zone and id; the
 * oldest entries are dropped beyond a bound, and a restart forgets them all — then a repeated
 * terminate of a long-gone instance is NOT_FOUND, which is what the cloud says.
 */
export class DeletedInstances {
  readonly #entries = new Set<string>();
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  add(owner: string, id: string): void {
    const entry = `${owner}\n${id.toLowerCase()}`;
    // Re-adding refreshes the entry's place, so a busy instance's deletions are kept longest.
    this.#entries.delete(entry);
    this.#entries.add(entry);
    for (const oldest of this.#entries) {
      if (this.#entries.size <= this.#limit) break;
      this.#entries.delete(oldest);
    }
  }

  has(owner: string, id: string): boolean {
    return this.#entries.has(`${owner}\n${id.toLowerCase()}`);
  }
}
