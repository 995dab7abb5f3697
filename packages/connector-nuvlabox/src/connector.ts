import type { Capabilities, ConnectorDefinition } from '@slipstream/connector-core';
import {
  createOpenNebulaBasedConnector,
  OPENNEBULA_CAPABILITIES,
  type OpenNebulaConnectorOptions,
} from '@slipstream/connector-opennebula/extend';
import { boxOf, NUVLABOX_PARAMETERS, settingsFrom } from './parameters.js';

/** OpenNebula's, with a zone: the box itself, which `launch` accepts as its zone. */
export const NUVLABOX_CAPABILITIES: Capabilities = Object.freeze({ ...OPENNEBULA_CAPABILITIES, zones: true });

/** Options outside the contract, for tests: hosts load the default export and never see them. */
export type NuvlaBoxConnectorOptions = OpenNebulaConnectorOptions;

/**
 * The definition: OpenNebula's XML-RPC protocol against one box, with the box's defaults. An
 * instance is one box, reported by listZones and on every VM as the zone.
 */
export function createNuvlaBoxConnector(options: NuvlaBoxConnectorOptions = {}): ConnectorDefinition {
  return createOpenNebulaBasedConnector(
    {
      name: 'nuvlabox',
      cloud: 'NuvlaBox',
      parameters: NUVLABOX_PARAMETERS,
      capabilities: NUVLABOX_CAPABILITIES,
      settings: settingsFrom,
      zone: (_, parameters) => {
        const box = boxOf(parameters);
        return { id: box, name: `NuvlaBox ${box}`, available: true };
      },
    },
    options,
  );
}
