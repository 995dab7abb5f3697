import {
  type Capabilities,
  type ConnectorDefinition,
  type ConnectorInstance,
  RecentlyDeleted,
} from '@slipstream/connector-core';
import { ZoneCatalog } from './catalog.js';
import { ExoscaleClient } from './client.js';
import { EXOSCALE_CREDENTIALS, EXOSCALE_PARAMETERS, settingsFrom } from './parameters.js';
import { ExoscaleSession } from './session.js';
import { EXOSCALE_STATES } from './states.js';

/** Everything optional is there: stop/start, the instance's zone, SSH keys, user data, labels as tags. */
export const EXOSCALE_CAPABILITIES: Capabilities = Object.freeze({
  stopStart: true,
  zones: true,
  sshKeys: true,
  userData: true,
  tags: true,
});

/** Options outside the contract, for tests: hosts load the default export and never see them. */
export interface ExoscaleConnectorOptions {
  /** Where request signing reads the time (epoch ms); Date.now by default. */
  readonly now?: (() => number) | undefined;
}

/**
 * The connector definition: plain data plus `create`, which runs once per configured instance
 * after core has validated the parameters. An instance works in one zone; each session signs
 * with its user's API key.
 */
export function createExoscaleConnector(options: ExoscaleConnectorOptions = {}): ConnectorDefinition {
  const definition: ConnectorDefinition = {
    name: 'exoscale',
    cloud: 'Exoscale',
    // The contract major this code implements, written out rather than read from core.
    contract: 1,
    parameters: EXOSCALE_PARAMETERS,
    credentials: EXOSCALE_CREDENTIALS,
    capabilities: EXOSCALE_CAPABILITIES,
    states: EXOSCALE_STATES,
    create({ parameters, http, logger }): ConnectorInstance {
      const settings = settingsFrom(parameters);
      const deleted = new RecentlyDeleted();
      // No close(): the transport is core's, and nothing else holds sockets or timers.
      return {
        session(credentials) {
          const key = credentials.key ?? '';
          const client = new ExoscaleClient({
            http,
            endpoint: settings.endpoint,
            key,
            secret: credentials.secret ?? '',
            signatureValiditySeconds: settings.signatureValiditySeconds,
            now: options.now,
          });
          return new ExoscaleSession({
            client,
            settings,
            catalog: new ZoneCatalog(client, settings.zone),
            logger,
            // Per API key and endpoint: another user's deletions never make an id theirs to terminate.
            deleted: deleted.of(`${key}@${settings.endpoint}`),
          });
        },
      };
    },
  };
  return Object.freeze(definition);
}
