/**
 * `quota.vm`: how many live VMs a user may hold on an instance. The instance parameter sets it for
 * everyone; a per-user override in the store wins. Counted from the server's own records, so it is
 * checked before any cloud call.
 */

import { type ConnectorRegistry, readParameter } from '@slipstream/connector-core';
import { ServerError } from '../errors.js';
import type { Store } from '../store/types.js';
import { LIVE_STATES, liveVmCount } from './records.js';

export async function vmQuota(
  store: Pick<Store, 'getQuotaOverride'>,
  registry: Pick<ConnectorRegistry, 'instance'>,
  userId: string,
  instance: string,
): Promise<number> {
  const override = await store.getQuotaOverride(userId, instance);
  if (override !== undefined) return override.vm;
  return readParameter(registry.instance(instance).parameters, 'quota.vm', 'number');
}

/** QUOTA_EXCEEDED when `adding` more VMs would take the user past their quota on the instance. */
export async function assertQuota(
  store: Pick<Store, 'getQuotaOverride' | 'listVmRecords'>,
  registry: Pick<ConnectorRegistry, 'instance'>,
  userId: string,
  instance: string,
  adding: number,
): Promise<void> {
  const quota = await vmQuota(store, registry, userId, instance);
  // Only the live records: a user's terminated and failed ones grow without end and count for nothing.
  const records = await store.listVmRecords({ ownerId: userId, instance, states: LIVE_STATES });
  const live = records.reduce((sum, record) => sum + liveVmCount(record), 0);
  if (live + adding > quota) {
    throw new ServerError(
      'QUOTA_EXCEEDED',
      `Launching ${adding} VM${adding === 1 ? '' : 's'} on "${instance}" would exceed your quota of ${quota} (you have ${live}); terminate some VMs or ask an administrator to raise your quota.`,
      { instance },
    );
  }
}
