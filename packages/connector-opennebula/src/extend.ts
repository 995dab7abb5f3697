/**
 * `@slipstream/connector-opennebula/extend`: what a connector for a cloud that runs OpenNebula
 * (a NuvlaBox) builds on (README "Extending"). It passes its own name, parameters, settings and
 * zone to `createOpenNebulaBasedConnector` and keeps the protocol as it is here. What this file
 * exports is public and versioned; the rest of the package is not.
 */

export {
  createOpenNebulaBasedConnector,
  OPENNEBULA_CAPABILITIES,
  type OpenNebulaConnectorOptions,
  type OpenNebulaVariant,
} from './connector.js';
export {
  type Contextualization,
  OPENNEBULA_CREDENTIALS,
  OPENNEBULA_PARAMETERS,
  type OpenNebulaSettings,
  settingsFrom,
} from './parameters.js';
