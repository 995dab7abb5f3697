import { createExoscaleConnector } from './connector.js';

/**
 * `@slipstream/connector-exoscale`: the Exoscale API v2 as a SlipStream connector. The default
 * export is what the SlipStream loader reads; the named exports are the factory and the spec and
 * state constants. Everything else is internal.
 */
const exoscale = createExoscaleConnector();
export default exoscale;

export { createExoscaleConnector, type ExoscaleConnectorOptions } from './connector.js';
export { EXOSCALE_CREDENTIALS, EXOSCALE_PARAMETERS } from './parameters.js';
export { EXOSCALE_NATIVE_STATES, EXOSCALE_STATES, type ExoscaleNativeState } from './states.js';
