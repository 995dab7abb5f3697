import { createCloudStackConnector } from './connector.js';

/**
 * `@slipstream/connector-cloudstack`: Apache CloudStack through its native API. The default
 * export is what the SlipStream loader reads; the named exports are the factory and the spec and
 * state constants. Everything else is internal.
 */
const cloudstack = createCloudStackConnector();
export default cloudstack;

export { createCloudStackConnector } from './connector.js';
export { CLOUDSTACK_CREDENTIALS, CLOUDSTACK_PARAMETERS } from './parameters.js';
export { CLOUDSTACK_NATIVE_STATES, CLOUDSTACK_STATES, type CloudStackNativeState } from './states.js';
