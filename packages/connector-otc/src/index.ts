import { createOtcConnector } from './connector.js';

/**
 * `@slipstream/connector-otc`: Open Telekom Cloud, built on `@slipstream/connector-openstack`
 * (through its `/extend` subpath). The default export is what the SlipStream loader reads; the
 * named exports are the factory and the spec constants. Everything else is internal.
 */
const otc = createOtcConnector();
export default otc;

export { createOtcConnector } from './connector.js';
export { OTC_CREDENTIALS, OTC_PARAMETERS } from './parameters.js';
