import { createOpenNebulaConnector } from './connector.js';

/**
 * `@slipstream/connector-opennebula`: OpenNebula through its XML-RPC API. The default export is
 * what the SlipStream loader reads; the named exports are the factory and the spec and state
 * constants. Everything else is internal; connectors built on this one use `/extend`.
 */
const opennebula = createOpenNebulaConnector();
export default opennebula;

export { createOpenNebulaConnector, type OpenNebulaConnectorOptions } from './connector.js';
export { OPENNEBULA_CREDENTIALS, OPENNEBULA_PARAMETERS } from './parameters.js';
export { OPENNEBULA_LCM_STATES, OPENNEBULA_STATES, OPENNEBULA_VM_STATES } from './states.js';
