import { createOpenStackConnector } from './connector.js';

/**
 * `@slipstream/connector-openstack`: OpenStack through Keystone v3, Nova 2.1 (microversion 2.47),
 * Glance v2 and Neutron v2.0. The default export is what the SlipStream loader reads; the named
 * exports are the factory and the spec and state constants. What clouds built on OpenStack need
 * is on the `/extend` subpath (`src/extend.ts`); everything else is internal.
 */
const openstack = createOpenStackConnector();
export default openstack;

export { createOpenStackConnector, type OpenStackConnectorOptions } from './connector.js';
export { OPENSTACK_CREDENTIALS, OPENSTACK_PARAMETERS } from './parameters.js';
export { NOVA_STATUSES, type NovaStatus, OPENSTACK_STATES } from './states.js';
