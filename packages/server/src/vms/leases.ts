/**
 * This replica's leases on the launches it runs. A launch record carries the lease of the replica
 * running it (store/types.ts, LaunchLease); while the cloud call lasts the lease is renewed every
 * third of its length, so that only a replica that died (or lost its database for longer than a
 * lease) lets it expire. Then any replica's sweep (reconcile.ts) claims the launch and finishes it
 * with the same idempotency key: the connector returns the VMs the cloud made instead of making more.
 */

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@slipstream/connector-core';
import type { LaunchLeaseStore, LeaseRequest } from '../store/types.js';

export class LaunchLeases {
  /** This process's id in leases: the host and PID for people, a random part so a restart owns nothing. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #store: LaunchLeaseStore;
  readonly #ms: number;
  readonly #logger: Logger | undefined;
  /** Records whose launch runs here, with how many runs hold each. */
  readonly #held = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: LaunchLeaseStore, ms: number, logger?: Logger) {
    this.#store = store;
    this.#ms = ms;
    this.#logger = logger;
  }

  /** The lease a launch run here takes. */
  get request(): LeaseRequest {
    return { owner: this.owner, ms: this.#ms };
  }

  /** Keeps renewing the lease of record `id` while `work` runs. */
  async hold<T>(id: string, work: () => Promise<T>): Promise<T> {
    const release = this.acquire(id);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Renews the lease of record `id` from now until the returned function is called: a sweep
   * acquires every launch it claims at once, so those waiting their turn keep their leases too.
   */
  acquire(id: string): () => void {
    this.#held.set(id, (this.#held.get(id) ?? 0) + 1);
    this.#timer ??= setInterval(() => void this.renew(), Math.max(1, Math.floor(this.#ms / 3))).unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#held.get(id) ?? 1) - 1;
      if (left > 0) this.#held.set(id, left);
      else this.#held.delete(id);
      if (this.#held.size === 0) this.#stopTimer();
    };
  }

  /**
   * Whether this replica still holds the lease of record `id`, renewing it when it does: checked
   * right before the cloud is asked, so a launch another replica took over is not launched twice.
   */
  async stillHeld(id: string): Promise<boolean> {
    return (await this.#store.renewLaunchLeases(this.owner, [id], this.#ms)).includes(id);
  }

  /** Renews every lease held here; one that another replica has taken over is reported, not fought for. */
  async renew(): Promise<void> {
    const ids = [...this.#held.keys()];
    if (ids.length === 0) return;
    try {
      const kept = new Set(await this.#store.renewLaunchLeases(this.owner, ids, this.#ms));
      const lost = ids.filter((id) => !kept.has(id) && this.#held.has(id));
      if (lost.length > 0) {
        this.#logger?.warn(
          { records: lost },
          'another replica took over launches running here (their lease expired); the idempotency key keeps them from launching twice',
        );
      }
    } catch (error) {
      // The database is away: the next renewal tries again, and until the lease expires nobody takes over.
      this.#logger?.warn({ err: error }, 'could not renew the leases of the launches running here');
    }
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Stops renewing: the leases of launches still running expire, and another replica finishes them. */
  close(): void {
    this.#held.clear();
    this.#stopTimer();
  }
}
