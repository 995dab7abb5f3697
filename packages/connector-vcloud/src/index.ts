import { createVcloudConnector } from './connector.js';

/**
 * `@slipstream/connector-vcloud`: VMware vCloud Director (10.4–10.5, API 37–38) through its
 * cloudapi sessions and XML API. The default export is what the SlipStream loader reads; the
 * named exports are the factory and the spec and state constants. Everything else is internal.
 */
const vcloud = createVcloudConnector();
export default vcloud;

export { createVcloudConnector, type VcloudConnectorOptions } from './connector.js';
export { VCLOUD_CREDENTIALS, VCLOUD_PARAMETERS } from './parameters.js';
export { VCLOUD_STATES, VCLOUD_STATUS_CODES } from './states.js';
