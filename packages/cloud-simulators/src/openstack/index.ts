import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../server/simulator.js';
import { OPENSTACK_CATALOG } from './catalog.js';
import { OpenStackFrontEnd } from './frontend.js';

/**
 * The OpenStack simulator: Keystone v3, Nova 2.1 (microversions up to 2.93) and Glance v2 on the
 * shared cloud model, laid out as devstack does: `${url}/identity/v3`, `${url}/compute/v2.1`,
 * `${url}/image`. Each account is one user (its key the user name, its secret the password) with a
 * role on one project named after the account, in the Default domain.
 */

export interface OpenStackSimulatorOptions extends SimulatorOptions {
  /** Servers/images per page when the client sends no `limit` (Nova's osapi_max_limit, default 1000). */
  readonly maxLimit?: number | undefined;
  /**
   * Use an external Keystone instead of the built-in one: Nova/Glance validate each X-Auth-Token
   * with GET {url}/auth/tokens (X-Auth-Token and X-Subject-Token both the token, as a user may
   * validate its own token), and map the token's project id to a model account (created on first
   * sight).
   */
  readonly keystone?: { readonly url: string } | undefined;
  /** Token lifetime of the built-in Keystone; default 3600 s. */
  readonly tokenTtlSeconds?: number | undefined;
  /** Region in the catalog; default RegionOne. */
  readonly region?: string | undefined;
}

export interface OpenStackUser {
  readonly username: string;
  readonly password: string;
  readonly project: string;
  readonly projectId: string;
  readonly domain: string;
}

export interface RunningOpenStack extends RunningSimulator {
  /**
   * The Keystone v3 root clients authenticate against: the built-in one, `${url}/identity/v3`, or
   * with `keystone` the external one's URL.
   */
  readonly authUrl: string;
  /** Nova and Glance roots: `${url}/compute/v2.1` and `${url}/image` (the catalog advertises these). */
  readonly computeUrl: string;
  readonly imageUrl: string;
  /** The first account as an OpenStack user (credentials.key = username, credentials.secret = password). */
  readonly user: OpenStackUser;
  /** Region in the catalog; default RegionOne. */
  readonly region: string;
  /** The front-end, for composing flavours and for tests that reach into Nova's records. */
  readonly frontEnd: OpenStackFrontEnd;
  /** Expire every token the built-in Keystone issued (tests of re-authentication). */
  expireTokens(): void;
}

export async function startOpenStack(options: OpenStackSimulatorOptions = {}): Promise<RunningOpenStack> {
  const { maxLimit, keystone, tokenTtlSeconds, region, ...common } = options;
  let created: OpenStackFrontEnd | undefined;
  const simulator = await startSimulator(common, OPENSTACK_CATALOG, (cloud) => {
    created = new OpenStackFrontEnd(cloud, { maxLimit, keystone, tokenTtlSeconds, region });
    return created;
  });
  const frontEnd = created as OpenStackFrontEnd;
  frontEnd.setOrigin(simulator.url);
  const account = simulator.control.cloud.accountByKey(simulator.credentials.key);
  if (!account) throw new Error('The simulator has no account for its own credentials.');
  const user = frontEnd.directory.userOf(account);
  const { mounts } = frontEnd;
  return {
    ...simulator,
    authUrl: frontEnd.external?.url ?? `${simulator.url}${mounts.identity}/v3`,
    computeUrl: `${simulator.url}${mounts.compute}/v2.1`,
    imageUrl: `${simulator.url}${mounts.image}`,
    user: {
      username: user.name,
      password: account.secret,
      project: user.project.name,
      projectId: user.project.id,
      domain: user.domain.name,
    },
    region: frontEnd.region,
    frontEnd,
    expireTokens: () => frontEnd.expireTokens(),
  };
}

export type { AuthOutcome, Caller, ServiceAuthenticator } from './caller.js';
export { OPENSTACK_CATALOG, OPENSTACK_FLAVORS, OPENSTACK_IMAGES, OPENSTACK_ZONES } from './catalog.js';
export { MAX_MICROVERSION, MIN_MICROVERSION } from './compute/microversion.js';
export { NovaService, type NovaServiceOptions } from './compute/nova.js';
export { matchNova, type NovaOperation, type NovaRoute, novaOperation } from './compute/routes.js';
export {
  DEVSTACK_MOUNTS,
  OpenStackFrontEnd,
  type OpenStackFrontEndOptions,
  type OpenStackMounts,
  type OpenStackService,
} from './frontend.js';
export { type ServiceRequest, serviceRequest } from './http.js';
export type { CatalogService } from './identity/catalog.js';
export {
  DEFAULT_DOMAIN,
  type DirectoryOptions,
  type Domain,
  IdentityDirectory,
  type Project,
  type User,
} from './identity/directory.js';
export { keystoneErrorResponse } from './identity/errors.js';
export { KeystoneService, keystoneOperation } from './identity/keystone.js';
export { authenticateToken, middlewareUnauthorized, type TokenValidator } from './identity/middleware.js';
export { GLANCE_DEFAULT_LIMIT, GlanceService } from './image/glance.js';
export { type GlanceOperation, glanceOperation, matchGlance } from './image/routes.js';
export { NETWORKS, PRIVATE_NETWORK, PUBLIC_NETWORK, type SimNetwork } from './network/networks.js';
export { NeutronService } from './network/neutron.js';
export { matchNeutron, type NeutronOperation, neutronOperation } from './network/routes.js';
export { webobError } from './webob.js';
