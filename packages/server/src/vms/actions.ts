/**
 * Terminate, stop and start: only on VMs the server launched for the caller (an administrator: for
 * anyone, through the owner's credentials). Any other id is NOT_FOUND, worded the same whether the
 * VM is someone else's or does not exist, so probing reveals nothing.
 */

import { ServerError } from '../errors.js';
import { assertLoadedInstance } from '../loaded-instances.js';
import type { VmRecord } from '../store/types.js';
import { reachableWith, unreachableError } from './accounts.js';
import { type Actor, ownerNames, type VmContext } from './context.js';
import { toView, type VmView } from './records.js';

export type VmAction = 'terminate' | 'stop' | 'start';

/** The caller's record of a cloud VM; NOT_FOUND for anything else. */
export async function findOwnedRecord(
  context: VmContext,
  actor: Actor,
  instance: string,
  cloudId: string,
): Promise<VmRecord> {
  const { store, registry } = context.booted;
  assertLoadedInstance(registry, instance);
  const records = await store.listVmRecords({
    instance,
    ...(actor.role === 'admin' ? {} : { ownerId: actor.id }),
  });
  const matching = records.filter((record) => record.cloudId === cloudId);
  // A live record wins over an old terminated one for the same id.
  const record = matching.find((item) => item.state !== 'terminated') ?? matching[0];
  if (record === undefined) {
    throw new ServerError(
      'NOT_FOUND',
      `You have no VM "${cloudId}" on "${instance}"; see GET /api/vms for your VMs.`,
      { instance },
    );
  }
  return record;
}

export async function actOnVm(
  context: VmContext,
  actor: Actor,
  instance: string,
  cloudId: string,
  action: VmAction,
): Promise<VmView> {
  const { store } = context.booted;
  const record = await findOwnedRecord(context, actor, instance, cloudId);
  const owner = await ownerNames(context, actor)(record.ownerId);
  if (record.state === 'terminated') {
    if (action === 'terminate') return toView(record, owner);
    throw new ServerError(
      'INVALID_REQUEST',
      `The VM "${cloudId}" on "${instance}" is terminated and cannot ${action}; launch a new one.`,
      { instance },
    );
  }
  const { session, account } = await context.sessions.open(record.ownerId, instance);
  // Another account does not see the VM: stopping or terminating through it would fail, or (a
  // cloud that answers an unknown id with success) report terminated a VM that still runs.
  if (!reachableWith(record, account)) throw unreachableError(record, account);
  if (action !== 'terminate') {
    const vm = await context.calls.run(instance, 'action', async (signal) => {
      await (action === 'stop'
        ? session.stop?.([cloudId], { signal })
        : session.start?.([cloudId], { signal }));
      return (await session.describe({ ids: [cloudId] }, { signal }))[0];
    });
    context.logger?.info({ instance, user: actor.name, vm: cloudId }, action);
    return toView(record, owner, vm);
  }
  // Recorded before the call: a server killed during it still knows the VM was being terminated.
  const terminating = await store.updateVmRecord(record.id, { state: 'terminating' });
  try {
    await context.calls.run(instance, 'action', (signal) => session.terminate([cloudId], { signal }));
  } catch (error) {
    await store.updateVmRecord(record.id, { state: record.state });
    throw error;
  }
  const terminated = await store.updateVmRecord(terminating.id, { state: 'terminated', account });
  context.logger?.info({ instance, user: actor.name, vm: cloudId }, 'terminate');
  return toView(terminated, owner);
}
