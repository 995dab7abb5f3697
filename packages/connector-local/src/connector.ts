import type { Capabilities, ConnectorDefinition, ConnectorInstance } from '@slipstream/connector-core';
import type { Clock } from './clock.js';
import { LocalCloud } from './cloud.js';
import { cloudOptionsFrom, LOCAL_CREDENTIALS, LOCAL_PARAMETERS } from './parameters.js';
import { LocalSession } from './session.js';
import { LOCAL_STATES } from './states.js';

/** The local cloud offers every optional operation, so that hosts can exercise them all. */
export const LOCAL_CAPABILITIES: Capabilities = Object.freeze({
  stopStart: true,
  zones: true,
  sshKeys: true,
  userData: true,
  tags: true,
});

/**
 * Options that are not part of the contract: hosts load the default export and never see them.
 * Tests and demos build their own definition with `createLocalConnector({ clock })`.
 */
export interface LocalConnectorOptions {
  /** Where every instance reads the time; the system clock by default. */
  readonly clock?: Clock | undefined;
}

/**
 * The connector definition. Everything but `create` is plain data the server reads to render
 * forms and tables; `create` runs once per configured instance, after core has validated the
 * parameters, and each instance is a separate cloud with its own accounts and VMs.
 */
export function createLocalConnector(options: LocalConnectorOptions = {}): ConnectorDefinition {
  const definition: ConnectorDefinition = {
    name: 'local',
    cloud: 'Local (in-process)',
    // The contract major this code implements, written out rather than read from core: a core
    // with a new major must refuse this connector, not have it claim the new one unchanged.
    contract: 1,
    parameters: LOCAL_PARAMETERS,
    credentials: LOCAL_CREDENTIALS,
    capabilities: LOCAL_CAPABILITIES,
    states: LOCAL_STATES,
    create({ parameters, logger }): ConnectorInstance {
      const cloud = new LocalCloud({ ...cloudOptionsFrom(parameters), clock: options.clock });
      // No close(): the cloud holds no sockets and no timers, only memory.
      return { session: (credentials) => new LocalSession(cloud, credentials, logger) };
    },
  };
  return Object.freeze(definition);
}
