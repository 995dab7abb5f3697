import type { SimVm, VmPhase } from '../../model/types.js';
import type { SimNetwork } from '../network/networks.js';
import { PRIVATE_NETWORK } from '../network/networks.js';

/**
 * What Nova knows of a server that the shared model does not keep: who created it, its
 * description, the networks it was plugged into, the last action asked of it (which tells a boot
 * from a power-on, both `starting` in the model) and, once a delete is asked, the state it was in.
 * VMs created in the model directly (seeded fixtures) get the defaults.
 */

export type ServerAction = 'create' | 'start' | 'stop' | 'delete';

export interface ServerRecord {
  /** Undefined for a seeded VM: the project's user stands in. */
  readonly userId: string | undefined;
  readonly description: string | null;
  readonly networks: readonly SimNetwork[];
  readonly lastAction: ServerAction;
  /** The vm_state a delete found the server in. */
  readonly vmStateAtDelete: string | undefined;
  /**
   * The server as it was when deleted and when the delete completes: Nova keeps deleted rows, and
   * lists them (status DELETED) to a changes-since query.
   */
  readonly deleted: { readonly snapshot: SimVm; readonly goneAt: number } | undefined;
}

/** A model phase, or `deleted` for a server the model no longer has. */
export type ServerPhase = VmPhase | 'deleted';

/** A server to show: live from the model, or a deleted one from its record. */
export interface ServerEntry {
  readonly vm: SimVm;
  readonly phase: ServerPhase;
}

const DEFAULT_RECORD: ServerRecord = Object.freeze({
  userId: undefined,
  description: null,
  networks: [PRIVATE_NETWORK],
  lastAction: 'create',
  vmStateAtDelete: undefined,
  deleted: undefined,
});

export class ServerRecords {
  readonly #records = new Map<string, ServerRecord>();

  get(serverId: string): ServerRecord {
    return this.#records.get(serverId) ?? DEFAULT_RECORD;
  }

  set(serverId: string, record: Partial<ServerRecord>): void {
    this.#records.set(serverId, { ...this.get(serverId), ...record });
  }

  /** The account's deleted servers whose delete has completed by `now`. */
  deletedOf(account: string, now: number): SimVm[] {
    const gone: SimVm[] = [];
    for (const record of this.#records.values()) {
      const deleted = record.deleted;
      if (deleted && deleted.snapshot.account === account && deleted.goneAt <= now)
        gone.push(deleted.snapshot);
    }
    return gone;
  }
}
