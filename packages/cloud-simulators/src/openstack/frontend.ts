import type { SimCloud } from '../model/cloud.js';
import type { FrontEnd, SimRequest, SimResponse } from '../server/frontend.js';
import type { AuthOutcome, ServiceAuthenticator } from './caller.js';
import { NovaService } from './compute/nova.js';
import { novaOperation } from './compute/routes.js';
import { originOf, type ServiceRequest, serviceRequest } from './http.js';
import type { CatalogService } from './identity/catalog.js';
import { type DirectoryOptions, IdentityDirectory } from './identity/directory.js';
import { keystoneErrorResponse } from './identity/errors.js';
import { ExternalKeystone } from './identity/external.js';
import { KeystoneService, keystoneOperation } from './identity/keystone.js';
import { authenticateToken, middlewareUnauthorized, type TokenValidator } from './identity/middleware.js';
import { TokenStore } from './identity/tokens.js';
import { GlanceService } from './image/glance.js';
import { glanceOperation } from './image/routes.js';
import { NeutronService } from './network/neutron.js';
import { neutronOperation } from './network/routes.js';
import { webobError } from './webob.js';

/**
 * The OpenStack front-end: Keystone, Nova and Glance on one port, each under its own path as
 * devstack lays them out (`/identity`, `/compute`, `/image`). Nova and Glance calls pass
 * keystonemiddleware's token check first; with an external Keystone the built-in one is off and
 * tokens are validated there. The services are exported separately, so another flavour (Open
 * Telekom Cloud) can mount them elsewhere and check credentials its own way.
 */

export type OpenStackService = 'identity' | 'compute' | 'image' | 'network';

/** Where each service's root is on the simulator; '' mounts a service at the root. */
export interface OpenStackMounts {
  readonly identity: string;
  readonly compute: string;
  readonly image: string;
  readonly network: string;
}

export const DEVSTACK_MOUNTS: OpenStackMounts = Object.freeze({
  identity: '/identity',
  compute: '/compute',
  image: '/image',
  network: '/networking',
});

export interface OpenStackFrontEndOptions {
  readonly region?: string | undefined;
  /** Nova's osapi_max_limit and Glance's api_limit_max. */
  readonly maxLimit?: number | undefined;
  readonly tokenTtlSeconds?: number | undefined;
  /** Validate tokens with this Keystone (its v3 root) instead of serving one. */
  readonly keystone?: { readonly url: string } | undefined;
  readonly mounts?: Partial<OpenStackMounts> | undefined;
  /** How accounts appear as Keystone users and projects. */
  readonly directory?: DirectoryOptions | undefined;
  /**
   * Checks the credentials of Nova and Glance calls; default keystonemiddleware's token check
   * (`tokenAuthenticator`), which a replacement can fall back to.
   */
  readonly authenticate?: ServiceAuthenticator | undefined;
  /** The services the built-in Keystone's catalog lists; default identity, compute and image. */
  readonly catalog?: ((origin: string, frontEnd: OpenStackFrontEnd) => readonly CatalogService[]) | undefined;
}

export class OpenStackFrontEnd implements FrontEnd {
  readonly region: string;
  readonly mounts: OpenStackMounts;
  readonly directory: IdentityDirectory;
  readonly tokens: TokenStore;
  /** The built-in Keystone; undefined when an external one validates tokens. */
  readonly keystone: KeystoneService | undefined;
  readonly external: ExternalKeystone | undefined;
  readonly nova: NovaService;
  readonly glance: GlanceService;
  readonly neutron: NeutronService;
  readonly #authenticate: ServiceAuthenticator;
  /** Used for links when a request carries no Host header. */
  #origin = 'http://127.0.0.1';

  constructor(cloud: SimCloud, options: OpenStackFrontEndOptions = {}) {
    this.region = options.region ?? 'RegionOne';
    this.mounts = { ...DEVSTACK_MOUNTS, ...options.mounts };
    this.directory = new IdentityDirectory(cloud, options.directory);
    this.tokens = new TokenStore(cloud.clock, options.tokenTtlSeconds);
    this.external = options.keystone ? new ExternalKeystone(cloud, options.keystone.url) : undefined;
    const catalog = options.catalog ?? ((origin: string) => this.defaultCatalog(origin));
    this.keystone = this.external
      ? undefined
      : new KeystoneService({
          cloud,
          directory: this.directory,
          tokens: this.tokens,
          region: this.region,
          services: (origin) => catalog(origin, this),
        });
    this.nova = new NovaService(cloud, {
      maxLimit: options.maxLimit,
      floatingAddress: (port) => this.neutron.floatingAddressOn(port),
    });
    this.glance = new GlanceService(cloud, { maxLimit: options.maxLimit });
    this.neutron = new NeutronService(cloud, this.nova.records);
    this.#authenticate = options.authenticate ?? ((request) => this.tokenAuthenticator(request));
  }

  /** Tells the front-end its own URL, once it listens. */
  setOrigin(origin: string): void {
    this.#origin = origin.replace(/\/+$/, '');
  }

  /** The services of devstack's catalog, rooted at `origin`. */
  defaultCatalog(origin: string): CatalogService[] {
    return [
      { type: 'identity', name: 'keystone', url: `${origin}${this.mounts.identity}` },
      { type: 'compute', name: 'nova', url: `${origin}${this.mounts.compute}/v2.1` },
      { type: 'image', name: 'glance', url: `${origin}${this.mounts.image}` },
      { type: 'network', name: 'neutron', url: `${origin}${this.mounts.network}` },
    ];
  }

  /** Where keystonemiddleware sends refused clients (its www_authenticate_uri). */
  identityUri(origin: string): string {
    return this.external?.url ?? `${origin}${this.mounts.identity}`;
  }

  /** keystonemiddleware's check of X-Auth-Token, against the built-in or the external Keystone. */
  tokenAuthenticator(request: Parameters<ServiceAuthenticator>[0]): Promise<AuthOutcome> {
    const validate: TokenValidator = this.external
      ? (token) => (this.external as ExternalKeystone).validate(token)
      : (token) => this.keystone?.callerOf(token);
    const origin = request.headers.host ? `http://${request.headers.host}` : this.#origin;
    return authenticateToken(request.headers, validate, this.identityUri(origin));
  }

  /** Every token stops working: clients must authenticate again. */
  expireTokens(): void {
    this.tokens.expireAll();
    this.external?.forgetTokens();
  }

  operationOf(request: SimRequest): string {
    const routed = this.#route(request);
    if (!routed) return 'unknown';
    const { service, below } = routed;
    if (service === 'identity') return keystoneOperation(request.method, below);
    if (service === 'compute') return novaOperation(request.method, below);
    if (service === 'network') return neutronOperation(request.method, below);
    return glanceOperation(request.method, below);
  }

  async handle(request: SimRequest): Promise<SimResponse> {
    const routed = this.#route(request);
    const origin = originOf(request, this.#origin);
    if (!routed) return webobError(404, undefined, request.headers);
    const service = serviceRequest(request, routed.mount, origin);
    switch (routed.service) {
      case 'identity':
        // With an external Keystone, the built-in one is not routed (#route).
        return (this.keystone as KeystoneService).handle(service, origin);
      case 'compute':
        return this.#compute(request, service);
      case 'image':
        return this.#image(request, service);
      case 'network':
        return this.#network(request, service);
    }
  }

  errorResponse(status: number, message: string, request?: SimRequest): SimResponse {
    const service = request ? (this.#route(request)?.service ?? 'compute') : 'compute';
    if (status === 401 && service !== 'identity') {
      // Nova, Glance and Neutron never refuse a token themselves: keystonemiddleware in front of
      // them does, always with its own body.
      const origin = request ? originOf(request, this.#origin) : this.#origin;
      return middlewareUnauthorized(this.identityUri(origin));
    }
    switch (service) {
      case 'identity':
        return keystoneErrorResponse(status, message);
      case 'compute':
        return this.nova.errorResponse(status, message);
      case 'image':
        return this.glance.errorResponse(status, message);
      case 'network':
        return this.neutron.errorResponse(status, message);
    }
  }

  async #compute(request: SimRequest, service: ServiceRequest): Promise<SimResponse> {
    const route = this.nova.route(service);
    if (route.kind !== 'api') return this.nova.public(service, route);
    const outcome = await this.#authenticate(request);
    if ('refusal' in outcome) return outcome.refusal;
    return this.nova.handleApi(service, route, outcome.caller);
  }

  async #image(request: SimRequest, service: ServiceRequest): Promise<SimResponse> {
    const route = this.glance.route(service);
    if (route.kind !== 'api') return this.glance.public(service, route);
    const outcome = await this.#authenticate(request);
    if ('refusal' in outcome) return outcome.refusal;
    return this.glance.handleApi(service, route, outcome.caller);
  }

  async #network(request: SimRequest, service: ServiceRequest): Promise<SimResponse> {
    const route = this.neutron.route(service);
    if (route.kind !== 'api') return this.neutron.public(service, route);
    const outcome = await this.#authenticate(request);
    if ('refusal' in outcome) return outcome.refusal;
    return this.neutron.handleApi(service, route, outcome.caller);
  }

  /**
   * The service a path belongs to: the first (identity, compute, image) whose mount the path is
   * under and which knows the path's first segment below it, so services may share a mount.
   */
  #route(request: SimRequest): { service: OpenStackService; mount: string; below: string } | undefined {
    let path: string;
    try {
      path = decodeURIComponent(request.url.pathname);
    } catch {
      path = request.url.pathname;
    }
    const candidates: Array<[OpenStackService, string, RegExp]> = [
      ['compute', this.mounts.compute, /^(\/?$|\/v2\.1(\/|$))/],
      ['image', this.mounts.image, /^(\/?$|\/versions\/?$|\/v2(\/|$))/],
      ['network', this.mounts.network, /^(\/?$|\/v2\.0(\/|$))/],
    ];
    if (this.keystone) candidates.unshift(['identity', this.mounts.identity, /^(\/?$|\/v3(\/|$))/]);
    for (const [service, mount, knows] of candidates) {
      if (path !== mount && !path.startsWith(`${mount}/`)) continue;
      const below = path.slice(mount.length);
      if (knows.test(below)) return { service, mount, below };
    }
    return undefined;
  }
}
