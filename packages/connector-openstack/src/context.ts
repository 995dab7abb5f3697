import type { Logger, OwnerDeletions } from '@slipstream/connector-core';
import type { FlavorCache } from './catalog.js';
import type { OpenStackClient } from './client.js';
import type { NetworkDirectory } from './networks.js';
import type { OpenStackSettings } from './parameters.js';

/** What one user's session works with; the launch and lifecycle modules take it first. */
export interface SessionContext {
  readonly client: OpenStackClient;
  readonly settings: OpenStackSettings;
  readonly flavors: FlavorCache;
  readonly networks: NetworkDirectory;
  /** The servers this session's owner deleted, shared by the instance's sessions. */
  readonly deleted: OwnerDeletions;
  readonly logger: Logger;
}
