import type { Logger, OwnerDeletions } from '@slipstream/connector-core';
import type { AwsClient } from './client.js';
import type { AwsSettings } from './parameters.js';

/** What one user's session works with; the launch, lifecycle and catalog modules take it first. */
export interface SessionContext {
  readonly client: AwsClient;
  readonly settings: AwsSettings;
  readonly logger: Logger;
  /**
   * The instances this user terminated through the connector instance, shared by its sessions:
   * EC2 forgets a terminated instance after about an hour, and terminating it again must still
   * succeed.
   */
  readonly deleted: OwnerDeletions;
  /** A smaller page than EC2's largest, from the connector's options (tests that look at paging). */
  readonly pageSize?: number | undefined;
}
