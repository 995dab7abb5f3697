/**
 * Resolves, at boot, the launches a previous run left `launching` (killed between recording and
 * settling). Each is launched again with its idempotency key through its owner's credentials: a
 * connector returns the VMs the first try created, or creates them if it never got that far, so
 * every record ends with exactly the VMs it asked for.
 */

import { ConnectorError, type Logger } from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import { launchRecord } from './launch.js';
import { SessionCache } from './sessions.js';

export interface ReconcileReport {
  /** Launch records now settled with their VMs. */
  readonly resolved: readonly string[];
  /** Launch records the cloud refused: now `failed`, with the error. */
  readonly failed: readonly string[];
  /** Left `launching` for the next boot: the instance is not loaded, or the cloud failed transiently. */
  readonly pending: readonly string[];
}

export async function reconcile(
  booted: Pick<BootedServer, 'store' | 'box' | 'registry'>,
  options: { readonly logger?: Logger | undefined } = {},
): Promise<ReconcileReport> {
  const { store, registry } = booted;
  const logger = options.logger;
  const sessions = new SessionCache(booted);
  const context = { booted, sessions, logger };
  const report = { resolved: [] as string[], failed: [] as string[], pending: [] as string[] };
  try {
    const records = await store.listVmRecords({ states: ['launching'] });
    // One at a time: a boot is no moment to flood a cloud, and these are rare.
    for (const record of records) {
      if (!registry.has(record.instance)) {
        report.pending.push(record.id);
        continue;
      }
      try {
        const session = await sessions.open(record.ownerId, record.instance);
        const settled = await launchRecord(context, session, record, 'reconcile');
        report.resolved.push(record.id);
        logger?.info(
          { instance: record.instance, record: record.id, vms: settled.map((item) => item.cloudId) },
          'reconciled an interrupted launch',
        );
      } catch (error) {
        const retryable = ConnectorError.is(error) && error.retryable;
        if (retryable) {
          report.pending.push(record.id);
        } else {
          // Missing credentials never reach the cloud: record why, so the owner sees it in GET /api/vms.
          const current = await store.getVmRecord(record.id);
          if (current?.state === 'launching') {
            await store.updateVmRecord(record.id, {
              state: 'failed',
              error: ConnectorError.is(error)
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
            code: ConnectorError.is(error) ? error.code : 'CLOUD_ERROR',
          },
          retryable ? 'an interrupted launch stays pending' : 'an interrupted launch failed',
        );
      }
    }
  } finally {
    await sessions.close();
  }
  return report;
}
