/** What the VM service needs from the booted server, shared by launch, listing, actions and reconciliation. */

import type { Logger } from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import type { UserRecord } from '../store/types.js';
import type { CloudCalls } from './deadlines.js';
import type { SessionCache } from './sessions.js';

export interface VmContext {
  readonly booted: Pick<BootedServer, 'store' | 'box' | 'registry' | 'leases'>;
  readonly sessions: SessionCache;
  /** Deadlines of the cloud calls, and the stop that ends them (the booted server's). */
  readonly calls: CloudCalls;
  readonly logger?: Logger | undefined;
}

/** Who acts: a user acts on their own records, an administrator on anyone's. */
export type Actor = Pick<UserRecord, 'id' | 'name' | 'role'>;

/** Resolves owner ids to user names, asking the store once per id. */
export function ownerNames(context: VmContext, actor: Actor): (id: string) => Promise<string> {
  const names = new Map<string, Promise<string>>([[actor.id, Promise.resolve(actor.name)]]);
  return (id) => {
    let name = names.get(id);
    if (name === undefined) {
      name = context.booted.store.getUser(id).then((user) => user?.name ?? id);
      names.set(id, name);
    }
    return name;
  };
}
