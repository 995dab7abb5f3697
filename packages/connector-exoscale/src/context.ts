import type { Logger } from '@slipstream/connector-core';
import type { ZoneCatalog } from './catalog.js';
import type { ExoscaleClient } from './client.js';
import type { DeletedInstances } from './deleted.js';
import type { ExoscaleSettings } from './parameters.js';
import type { OperationWait } from './waits.js';

/** What one user's session works with; the launch and lifecycle modules take it as their first argument. */
export interface SessionContext {
  readonly client: ExoscaleClient;
  readonly settings: ExoscaleSettings;
  readonly catalog: ZoneCatalog;
  readonly logger: Logger;
  /** Shared by the connector instance's sessions. */
  readonly deleted: DeletedInstances;
  /** Whose deletions `deleted` records: the API key and the endpoint. */
  readonly owner: string;
}

/** How a call waits for the operations it starts. */
export function operationWait(context: SessionContext, signal: AbortSignal | undefined): OperationWait {
  return {
    intervalMs: context.settings.pollIntervalMs,
    timeoutMs: context.settings.operationTimeoutMs,
    signal,
  };
}
