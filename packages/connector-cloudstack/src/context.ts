import type { Logger } from '@slipstream/connector-core';
import type { CloudStackClient } from './client.js';
import type { CloudStackSettings } from './parameters.js';
import type { JobPoller } from './waits.js';

/** What one user's session works with; the launch and lifecycle modules take it first. */
export interface SessionContext {
  readonly client: CloudStackClient;
  readonly jobs: JobPoller;
  readonly settings: CloudStackSettings;
  readonly logger: Logger;
  /** Remembers, per session, that the cloud refuses user expunges, so that it is asked once. */
  readonly expungeRefused: { value: boolean };
}
