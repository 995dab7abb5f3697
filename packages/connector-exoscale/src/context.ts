import type { Logger, OwnerDeletions } from '@slipstream/connector-core';
import type { ZoneCatalog } from './catalog.js';
import type { ExoscaleClient } from './client.js';
import type { ExoscaleSettings } from './parameters.js';
import type { OperationWait } from './waits.js';

/** What one user's session works with; the launch and lifecycle modules take it as their first argument. */
export interface SessionContext {
  readonly client: ExoscaleClient;
  readonly settings: ExoscaleSettings;
  readonly catalog: ZoneCatalog;
  readonly logger: Logger;
  /**
   * The instances this user deleted through the connector instance, shared by its sessions, so
   * that terminating one again succeeds once Exoscale answers 404 for it. Ids are kept lowercased:
   * Exoscale's UUIDs name the same instance in either case.
   */
  readonly deleted: OwnerDeletions;
}

/** How a call waits for the operations it starts. */
export function operationWait(context: SessionContext, signal: AbortSignal | undefined): OperationWait {
  return {
    intervalMs: context.settings.pollIntervalMs,
    timeoutMs: context.settings.operationTimeoutMs,
    signal,
  };
}
