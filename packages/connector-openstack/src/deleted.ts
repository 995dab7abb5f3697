/**
 * The servers deleted through an instance, per owner. Nova forgets a deleted server at once for
 * its users (GET /servers/{id} answers 404, like for an id it never knew), yet terminating a VM
 * again must succeed while an unknown id is NOT_FOUND: this record tells the two apart for the
 * servers the instance deleted itself. Bounded: the oldest entries go first.
 */
export class DeletedServers {
  static readonly MAX_ENTRIES = 10_000;
  readonly #entries = new Set<string>();

  #key(owner: string, id: string): string {
    return `${owner}\u0000${id}`;
  }

  add(owner: string, id: string): void {
    const key = this.#key(owner, id);
    this.#entries.delete(key);
    this.#entries.add(key);
    if (this.#entries.size > DeletedServers.MAX_ENTRIES) {
      const oldest = this.#entries.values().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  has(owner: string, id: string): boolean {
    return this.#entries.has(this.#key(owner, id));
  }

  /** The record of one owner, as sessions use it. */
  of(owner: string): OwnerDeletions {
    return { add: (id) => this.add(owner, id), has: (id) => this.has(owner, id) };
  }
}

export interface OwnerDeletions {
  add(id: string): void;
  has(id: string): boolean;
}
