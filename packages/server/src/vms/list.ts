/**
 * `GET /api/vms`: the caller's records (an administrator's `all` takes everyone's) joined with what
 * each cloud says about them. Clouds are asked concurrently, one describe per (owner, instance)
 * through the owner's session, each within the listing deadline; one that fails or does not answer
 * in time leaves its records without a cloud view and adds an error entry, so one broken cloud
 * never hides or holds back the others.
 *
 * Only records of the account the owner's credentials open now are asked about: the others are
 * shown `unreachable` (accounts.ts), never taken for terminated because another account does not
 * see them.
 */

import type { Vm } from '@slipstream/connector-core';
import { isKnownError, ServerError } from '../errors.js';
import type { VmRecordSummary } from '../store/types.js';
import { accountOf, reachableWith, unreachableMessage } from './accounts.js';
import { type Actor, ownerNames, type VmContext } from './context.js';
import { LISTED_STATES, toView, type VmView } from './records.js';

export interface ListError {
  readonly instance: string;
  /** Whose session failed, when listing every user's VMs. */
  readonly owner?: string;
  readonly code: string;
  readonly message: string;
}

export interface VmList {
  readonly vms: readonly VmView[];
  readonly errors: readonly ListError[];
}

export async function listVms(
  context: VmContext,
  actor: Actor,
  options: { all?: boolean } = {},
): Promise<VmList> {
  const { store, registry } = context.booted;
  const all = options.all === true && actor.role === 'admin';
  // Summaries: the listing shows nothing of the stored launch requests, so it does not decode them.
  const records = await store.listVmRecordSummaries({
    ...(all ? {} : { ownerId: actor.id }),
    states: LISTED_STATES,
  });
  const groups = new Map<string, VmRecordSummary[]>();
  for (const record of records) {
    const key = `${record.ownerId}\u0000${record.instance}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [record]);
    else group.push(record);
  }
  const owner = ownerNames(context, actor);
  const order = new Map(registry.instances.map((info, index) => [info.name, index]));
  const errors: ListError[] = [];
  const views: VmView[] = [];

  await Promise.all(
    [...groups.values()].map(async (group) => {
      const first = group[0] as VmRecordSummary;
      const { instance, ownerId } = first;
      const ownerName = await owner(ownerId);
      // Read from the store, not the session: records are told apart even when the cloud is down.
      const saved = await store.getCredentials(ownerId, instance);
      const account = saved === undefined ? undefined : accountOf(saved.values);
      let cloud: Map<string, Vm> | undefined;
      try {
        cloud = await context.calls.run(instance, 'list', async (signal) => {
          const opened = await context.sessions.open(ownerId, instance);
          if (opened.account !== account) {
            // Saved again in between: the records were sorted by the other account.
            throw new ServerError(
              'CONFLICT',
              `Your credentials for "${instance}" changed while your VMs were listed; list them again.`,
              { instance },
            );
          }
          const ids = group.flatMap((record) =>
            record.cloudId !== undefined && (account === undefined || reachableWith(record, account))
              ? [record.cloudId]
              : [],
          );
          return new Map((await opened.session.describe({ ids }, { signal })).map((vm) => [vm.id, vm]));
        });
      } catch (error) {
        errors.push({ instance, ...describeError(error, instance), ...(all ? { owner: ownerName } : {}) });
        if (!isKnownError(error)) context.logger?.error({ instance, err: error }, 'listing VMs failed');
      }
      for (const record of group) {
        if (account !== undefined && !reachableWith(record, account)) {
          views.push(toView(record, ownerName, undefined, unreachableMessage(record, account)));
          continue;
        }
        const vm = record.cloudId === undefined ? undefined : cloud?.get(record.cloudId);
        if (cloud !== undefined && record.cloudId !== undefined && gone(record, vm)) {
          // The account that launched it no longer has it (terminated elsewhere): the record stops
          // counting against the quota.
          await store.updateVmRecord(record.id, { state: 'terminated' });
          continue;
        }
        if (record.account === undefined && account !== undefined && vm !== undefined) {
          // A record from before accounts were recorded, seen by this account: it is this account's.
          views.push(toView(await store.updateVmRecord(record.id, { account }), ownerName, vm));
          continue;
        }
        views.push(toView(record, ownerName, vm));
      }
    }),
  );
  // Timestamps (all in the one toISOString() form) and record ids (UUIDs) compare as plain text,
  // the way the stores order them; a locale-aware comparison would cost more and order them alike.
  views.sort(
    (a, b) =>
      (order.get(a.instance) ?? Number.MAX_SAFE_INTEGER) -
        (order.get(b.instance) ?? Number.MAX_SAFE_INTEGER) ||
      compareText(a.recordedAt, b.recordedAt) ||
      compareText(a.recordId, b.recordId),
  );
  errors.sort((a, b) => a.instance.localeCompare(b.instance) || (a.owner ?? '').localeCompare(b.owner ?? ''));
  return { vms: views, errors };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function gone(record: VmRecordSummary, vm: Vm | undefined): boolean {
  if (record.state !== 'launched' && record.state !== 'terminating') return false;
  return vm === undefined || vm.state === 'terminated';
}

function describeError(error: unknown, instance: string): { code: string; message: string } {
  if (isKnownError(error)) return { code: error.code, message: error.message };
  return {
    code: 'CLOUD_ERROR',
    message: `Listing the VMs on "${instance}" failed unexpectedly; see the server log.`,
  };
}
