import type { Logger, Zone } from '@slipstream/connector-core';
import type { OpenNebulaClient } from './client.js';
import type { OpenNebulaSettings } from './parameters.js';

/** What one user's session works with; the launch, lifecycle, VM and catalog modules take it first. */
export interface SessionContext {
  readonly client: OpenNebulaClient;
  readonly settings: OpenNebulaSettings;
  readonly logger: Logger;
  /**
   * The zone this instance is, for a connector whose instance stands for one place (a NuvlaBox):
   * VMs report it and launches may name it. Undefined: OpenNebula without zones.
   */
  readonly zone: Zone | undefined;
  /** VMs asked of one.vmpool.info per page; from the connector's options (tests that look at paging). */
  readonly pageSize: number;
  /** Pool pages asked at once after the first: the instance's `max.iaas.workers`. */
  readonly pageWorkers: number;
}

/** How a wait looks at a VM: the settings' interval and timeout, and the caller's signal. */
export function waitOptions(context: SessionContext, signal: AbortSignal | undefined) {
  return { interval: context.settings.pollIntervalMs, timeout: context.settings.waitTimeoutMs, signal };
}
