/**
 * The sweep every replica runs at start and then periodically (start.ts): it claims the launches
 * left `launching` whose lease expired — their replica died between recording and settling, or was
 * stopped mid-call — or that carry none — their answer was lost and they wait to be tried again —
 * and settles them. Each is launched again with its idempotency key through its owner's
 * credentials: a connector returns the VMs the first try created, or creates them if it never got
 * that far, so every record ends with exactly the VMs it asked for. Replicas sweeping at once
 * claim different records (store: claimLaunches). A record launched with another cloud account
 * than the owner's saved credentials open waits: launching it through this one would make its VMs
 * a second time.
 */

import { ConnectorError, type Logger } from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import { isKnownError } from '../errors.js';
import type { VmRecord } from '../store/types.js';
import { reachableWith } from './accounts.js';
import { launchRecord } from './launch.js';
import { SessionCache } from './sessions.js';

export interface ReconcileReport {
  /** Launch records now settled with their VMs. */
  readonly resolved: readonly string[];
  /** Launch records the cloud refused: now `failed`, with the error. */
  readonly failed: readonly string[];
  /**
   * Left `launching` for a later round, once the claim's lease expires: the server is stopping,
   * the cloud failed transiently, or the owner's credentials are for another account now.
   */
  readonly pending: readonly string[];
}

/**
 * Most launches one sweep claims (the rest wait for the next round, or another replica's sweep),
 * and how many of them it runs at once.
 */
const CLAIMS_PER_SWEEP = 20;
const SWEEP_CONCURRENCY = 4;

export async function reconcile(
  booted: Pick<BootedServer, 'store' | 'box' | 'registry' | 'calls' | 'leases'>,
  options: { readonly logger?: Logger | undefined } = {},
): Promise<ReconcileReport> {
  const { store, registry } = booted;
  const logger = options.logger;
  const sessions = new SessionCache(booted);
  const context = { booted, sessions, calls: booted.calls, logger };
  const report = { resolved: [] as string[], failed: [] as string[], pending: [] as string[] };
  try {
    // Only the instances this replica runs: another may run instances this one failed to load.
    const records = await store.claimLaunches({
      ...booted.leases.request,
      instances: registry.instances.map((instance) => instance.name),
      limit: CLAIMS_PER_SWEEP,
    });
    // Every claimed launch keeps its lease from now, also while it waits its turn.
    const releases = new Map(records.map((record) => [record.id, booted.leases.acquire(record.id)]));
    const settle = async (record: VmRecord): Promise<void> => {
      // Set once the cloud is asked: launchRecord then settles the record itself.
      let asked = false;
      try {
        if (booted.calls.stopped) {
          report.pending.push(record.id);
          return;
        }
        const { session, account } = await sessions.open(record.ownerId, record.instance);
        if (!reachableWith(record, account)) {
          report.pending.push(record.id);
          logger?.warn(
            { instance: record.instance, record: record.id },
            'an interrupted launch waits for the credentials of the account that made it',
          );
          return;
        }
        asked = true;
        const settled = await launchRecord(context, session, record, 'reconcile');
        if (settled[0]?.state === 'launching') {
          // Another replica took it over (its lease ran out here): that replica settles it.
          report.pending.push(record.id);
          return;
        }
        report.resolved.push(record.id);
        logger?.info(
          { instance: record.instance, record: record.id, vms: settled.map((item) => item.cloudId) },
          'reconciled an interrupted launch',
        );
      } catch (error) {
        const current = await store.getVmRecord(record.id);
        const pending = asked ? current?.state === 'launching' : ConnectorError.is(error) && error.retryable;
        if (pending) {
          report.pending.push(record.id);
        } else {
          if (!asked && current?.state === 'launching') {
            // Missing credentials never reach the cloud: record why, so the owner sees it in GET /api/vms.
            await store.updateVmRecord(record.id, {
              state: 'failed',
              error: isKnownError(error)
                ? { code: error.code, message: error.message }
                : { code: 'CLOUD_ERROR', message: 'The launch could not be resumed; see the server log.' },
            });
          }
          report.failed.push(record.id);
        }
        logger?.warn(
          {
            instance: record.instance,
            record: record.id,
            code: isKnownError(error) ? error.code : 'CLOUD_ERROR',
          },
          pending ? 'an interrupted launch stays pending' : 'an interrupted launch failed',
        );
      } finally {
        releases.get(record.id)?.();
      }
    };
    // A few at a time: a boot is no moment to flood a cloud, but a backlog must not outlast the
    // leases of the launches waiting in it either.
    const queue = [...records];
    const worker = async (): Promise<void> => {
      for (let record = queue.shift(); record !== undefined; record = queue.shift()) await settle(record);
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, queue.length) }, worker));
  } finally {
    await sessions.close();
  }
  return report;
}
