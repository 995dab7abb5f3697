import { createNuvlaBoxConnector } from './connector.js';

/**
 * `@slipstream/connector-nuvlabox`: a NuvlaBox's own OpenNebula, through the box's one-proxy
 * XML-RPC endpoint. The default export is what the SlipStream loader reads; the named exports are
 * the factory and the spec and state constants. Everything else is internal.
 */
const nuvlabox = createNuvlaBoxConnector();
export default nuvlabox;

export { createNuvlaBoxConnector, type NuvlaBoxConnectorOptions } from './connector.js';
export { NUVLABOX_CREDENTIALS, NUVLABOX_PARAMETERS } from './parameters.js';
