import type {
  Capabilities,
  ConnectorDefinition,
  ConnectorInstance,
  FieldValues,
  ParameterSpec,
  Zone,
} from '@slipstream/connector-core';
import { readParameter } from '@slipstream/connector-core';
import { OpenNebulaClient } from './client.js';
import {
  OPENNEBULA_CREDENTIALS,
  OPENNEBULA_PARAMETERS,
  type OpenNebulaSettings,
  settingsFrom,
} from './parameters.js';
import { OpenNebulaSession } from './session.js';
import { identityOf } from './signing.js';
import { OPENNEBULA_STATES } from './states.js';
import { PAGE_SIZE } from './vm.js';

/** Stop/start (poweroff, resume), SSH keys and user data through CONTEXT; no zones, no tags. */
export const OPENNEBULA_CAPABILITIES: Capabilities = Object.freeze({
  stopStart: true,
  zones: false,
  sshKeys: true,
  userData: true,
  tags: false,
});

/** Options outside the contract, for tests: hosts load the default export and never see them. */
export interface OpenNebulaConnectorOptions {
  /** VMs asked of one.vmpool.info per page; default 500. */
  readonly pageSize?: number | undefined;
}

/**
 * What a connector built on this one changes (a NuvlaBox's): its name and cloud, its parameters,
 * how settings are read from them, and the zone an instance stands for.
 */
export interface OpenNebulaVariant {
  readonly name: string;
  readonly cloud: string;
  readonly parameters: readonly ParameterSpec[];
  readonly capabilities: Capabilities;
  settings(parameters: FieldValues): OpenNebulaSettings;
  /** The zone an instance is, reported by listZones and on every VM; none by default. */
  zone?(settings: OpenNebulaSettings, parameters: FieldValues): Zone;
}

const OPENNEBULA: OpenNebulaVariant = {
  name: 'opennebula',
  cloud: 'OpenNebula',
  parameters: OPENNEBULA_PARAMETERS,
  capabilities: OPENNEBULA_CAPABILITIES,
  settings: (parameters) => settingsFrom(parameters),
};

/**
 * A definition speaking OpenNebula's XML-RPC API: plain data plus `create`, which runs once per
 * configured instance after core has validated the parameters.
 */
export function createOpenNebulaBasedConnector(
  variant: OpenNebulaVariant,
  options: OpenNebulaConnectorOptions = {},
): ConnectorDefinition {
  const definition: ConnectorDefinition = {
    name: variant.name,
    cloud: variant.cloud,
    // The contract major this code implements, written out rather than read from core.
    contract: 1,
    parameters: variant.parameters,
    credentials: OPENNEBULA_CREDENTIALS,
    capabilities: variant.capabilities,
    states: OPENNEBULA_STATES,
    create({ parameters, http, logger }): ConnectorInstance {
      const settings = variant.settings(parameters);
      const zone = variant.zone?.(settings, parameters);
      // No close(): the transport is core's, and a session holds nothing else.
      return {
        session(credentials) {
          return new OpenNebulaSession({
            client: new OpenNebulaClient(http, settings.endpoint, identityOf(credentials)),
            settings,
            logger,
            zone,
            pageSize: options.pageSize ?? PAGE_SIZE,
            pageWorkers: readParameter(parameters, 'max.iaas.workers', 'number'),
          });
        },
      };
    },
  };
  return Object.freeze(definition);
}

/** The `opennebula` connector's definition. */
export function createOpenNebulaConnector(options: OpenNebulaConnectorOptions = {}): ConnectorDefinition {
  return createOpenNebulaBasedConnector(OPENNEBULA, options);
}
