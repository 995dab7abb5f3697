/**
 * `@slipstream/connector-openstack/extend`: the building blocks of a connector for a cloud built
 * on OpenStack (README "Extending"), as Open Telekom Cloud's connector uses them. A derived
 * connector passes its own parameters, settings and access (authenticator + endpoint resolver) to
 * `createOpenStackConnector` and keeps Nova, Glance and Neutron as they are here. What this file
 * exports is public and versioned; the rest of the package is not.
 */

export type {
  Authenticator,
  Authorization,
  EndpointResolver,
  OutgoingRequest,
  ServiceKind,
  SessionAccess,
} from './access.js';
export {
  type AccessContext,
  createOpenStackConnector,
  keystoneAccess,
  OPENSTACK_CAPABILITIES,
  type OpenStackConnectorOptions,
} from './connector.js';
export { errorCodeFor, errorFromResponse, type OpenStackFault, readFault } from './errors.js';
export { KeystonePasswordAuth, type KeystonePasswordAuthOptions, type KeystoneToken } from './keystone.js';
export { NOVA_MICROVERSION, type OpenStackSettings, openStackSettings } from './parameters.js';
export {
  type CatalogEndpoint,
  CatalogEndpoints,
  type CatalogEndpointsOptions,
  type CatalogService,
  type CatalogSource,
  FixedEndpoints,
  type ServiceSelector,
} from './service-catalog.js';
export { OpenStackSession, type OpenStackSessionOptions } from './session.js';
export { type DomainRef, domainRef, type ProjectScope } from './signing.js';
export { OPENSTACK_STATES } from './states.js';
