import { createOpenStackConnector } from './connector.js';

/**
 * `@slipstream/connector-openstack`: OpenStack through Keystone v3, Nova 2.1 (microversion 2.47),
 * Glance v2 and Neutron v2.0. The default export is what the SlipStream loader reads; the named
 * exports are the building blocks of clouds built on OpenStack (README "Extending") and serve
 * documentation and tests.
 */
const openstack = createOpenStackConnector();
export default openstack;

export type {
  Authenticator,
  Authorization,
  EndpointResolver,
  OutgoingRequest,
  ServiceKind,
  SessionAccess,
} from './access.js';
export { type ApiAnswer, type ApiRequest, OpenStackClient, type OpenStackClientOptions } from './client.js';
export {
  type AccessContext,
  createOpenStackConnector,
  keystoneAccess,
  OPENSTACK_CAPABILITIES,
  type OpenStackConnectorOptions,
} from './connector.js';
export { errorCodeFor, errorFromResponse, type OpenStackFault, readFault } from './errors.js';
export { keyPairName } from './keypairs.js';
export { KeystonePasswordAuth, type KeystonePasswordAuthOptions, type KeystoneToken } from './keystone.js';
export {
  type KeystoneSettings,
  keystoneSettings,
  NOVA_MICROVERSION,
  OPENSTACK_CREDENTIALS,
  OPENSTACK_PARAMETERS,
  type OpenStackSettings,
  openStackSettings,
} from './parameters.js';
export {
  type CatalogEndpoint,
  CatalogEndpoints,
  type CatalogEndpointsOptions,
  type CatalogService,
  type CatalogSource,
  FixedEndpoints,
  findEndpoint,
  type ServiceSelector,
} from './service-catalog.js';
export { serviceRoot } from './service-urls.js';
export { OpenStackSession, type OpenStackSessionOptions } from './session.js';
export { type DomainRef, domainRef, type ProjectScope, passwordAuthBody, tokensUrl } from './signing.js';
export {
  NOVA_STATUS_STATES,
  NOVA_STATUSES,
  NOVA_TASK_STATE_STATES,
  type NovaStatus,
  OPENSTACK_STATES,
  serverState,
} from './states.js';
