/**
 * The VMs a connector instance deleted, remembered per owner (the credentials' account at the
 * endpoint). Many clouds forget a deleted VM at once: looking it up answers 404, exactly as for an
 * id that never existed. Yet terminating a VM again must succeed while an unknown id is NOT_FOUND,
 * and this memory tells the two apart for the VMs the instance deleted itself. It is bounded (the
 * oldest entries go first) and lives in memory: after a restart, terminating a long-gone VM again
 * is NOT_FOUND, which is what the cloud says.
 */
export class RecentlyDeleted {
  readonly #entries = new Set<string>();
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = Math.max(1, limit);
  }

  add(owner: string, id: string): void {
    const entry = `${owner}\u0000${id}`;
    // Re-adding refreshes the entry's place, so a busy owner's deletions are kept longest.
    this.#entries.delete(entry);
    this.#entries.add(entry);
    for (const oldest of this.#entries) {
      if (this.#entries.size <= this.#limit) break;
      this.#entries.delete(oldest);
    }
  }

  has(owner: string, id: string): boolean {
    return this.#entries.has(`${owner}\u0000${id}`);
  }

  /** The memory of one owner, as a session uses it. */
  of(owner: string): OwnerDeletions {
    return { add: (id) => this.add(owner, id), has: (id) => this.has(owner, id) };
  }
}

/** One owner's part of {@link RecentlyDeleted}. */
export interface OwnerDeletions {
  add(id: string): void;
  has(id: string): boolean;
}
