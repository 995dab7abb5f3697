import type { Logger, OwnerDeletions } from '@slipstream/connector-core';
import type { VcloudClient } from './client.js';
import type { VcloudSettings } from './parameters.js';

/** What one user's session works with; the launch, lifecycle, VM and catalog modules take it first. */
export interface SessionContext {
  readonly client: VcloudClient;
  readonly settings: VcloudSettings;
  readonly logger: Logger;
  /**
   * The vApps this user deleted through the connector instance, shared by its sessions: vCloud
   * forgets a deleted vApp at once (404), and terminating it again must still succeed.
   */
  readonly deleted: OwnerDeletions;
  /** Records asked of the query service per page; the cell may cap it (128 by default). */
  readonly pageSize: number;
  /** Query pages asked at once after the first: the instance's `max.iaas.workers`. */
  readonly pageWorkers: number;
  /** The VDC's href once looked up: it does not change for the life of a session. */
  vdcHref?: Promise<string> | undefined;
}

/** How a wait polls: the settings' interval and timeout, and the caller's signal. */
export function taskWait(context: SessionContext, signal: AbortSignal | undefined) {
  return { interval: context.settings.pollIntervalMs, timeout: context.settings.taskTimeoutMs, signal };
}
