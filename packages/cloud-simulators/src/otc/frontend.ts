import type { SimCloud } from '../model/cloud.js';
import type { AuthOutcome, ServiceAuthenticator } from '../openstack/caller.js';
import { OpenStackFrontEnd, type OpenStackMounts } from '../openstack/frontend.js';
import { originOf } from '../openstack/http.js';
import type { CatalogService } from '../openstack/identity/catalog.js';
import { type Domain, hexId } from '../openstack/identity/directory.js';
import { keystoneErrorResponse } from '../openstack/identity/errors.js';
import type { FrontEnd, SimRequest, SimResponse } from '../server/frontend.js';
import { AccessKeys } from './access-keys.js';
import { ApiGateway, isSigned } from './gateway.js';
import { domainProjects, isProjectsPath, listProjects, withIamCatalog } from './iam.js';
import { withImsAttributes } from './ims.js';

/**
 * Open Telekom Cloud on one port, laid out as its regional endpoints are: IAM (Keystone v3) at
 * `/v3`, ECS's Nova-compatible API at `/v2.1/{project_id}`, IMS's Glance-compatible API at
 * `/v2/images`, the VPC service's Neutron API at `/v2.0`. It is the OpenStack front-end mounted at
 * the root, with the tenant's domain and region projects, plus what OTC adds: the API gateway's
 * AK/SK signatures as an alternative to tokens, IAM's project query and catalog, and IMS's
 * image attributes.
 */

const ROOT_MOUNTS: OpenStackMounts = Object.freeze({ identity: '', compute: '', image: '', network: '' });

export interface OtcFrontEndOptions {
  /** The region: the catalog's region and the name of each user's default project. */
  readonly region: string;
  /** The tenant's domain name, e.g. `OTC00000000001000000123`. */
  readonly domain: string;
  readonly maxLimit?: number | undefined;
  readonly tokenTtlSeconds?: number | undefined;
}

export class OtcFrontEnd implements FrontEnd {
  readonly region: string;
  readonly domain: Domain;
  readonly accessKeys: AccessKeys;
  readonly gateway: ApiGateway;
  /** The OpenStack services underneath, mounted at the root. */
  readonly openstack: OpenStackFrontEnd;
  readonly #cloud: SimCloud;
  #origin = 'http://127.0.0.1';

  constructor(cloud: SimCloud, options: OtcFrontEndOptions) {
    this.#cloud = cloud;
    this.region = options.region;
    this.domain = { id: hexId(`domain:${options.domain}`), name: options.domain };
    this.accessKeys = new AccessKeys(cloud);
    const authenticate: ServiceAuthenticator = (request) => this.#authenticateService(request);
    this.openstack = new OpenStackFrontEnd(cloud, {
      region: options.region,
      maxLimit: options.maxLimit,
      tokenTtlSeconds: options.tokenTtlSeconds,
      mounts: ROOT_MOUNTS,
      directory: { domain: this.domain },
      authenticate,
      catalog: (origin) => this.catalog(origin),
    });
    this.gateway = new ApiGateway(cloud, this.openstack.directory, this.accessKeys);
  }

  setOrigin(origin: string): void {
    this.#origin = origin.replace(/\/+$/, '');
    this.openstack.setOrigin(origin);
  }

  /**
   * The services IAM's catalog lists, as OTC registers them: keystone, nova (ECS, with the
   * project in its URL), glance (IMS) and neutron (VPC), public endpoints only.
   */
  catalog(origin: string): CatalogService[] {
    return [
      { type: 'identity', name: 'keystone', url: `${origin}/v3` },
      { type: 'compute', name: 'nova', url: `${origin}/v2.1/$(project_id)s` },
      { type: 'image', name: 'glance', url: origin },
      { type: 'network', name: 'neutron', url: origin },
    ];
  }

  operationOf(request: SimRequest): string {
    return isProjectsPath(request.url.pathname) ? 'list-projects' : this.openstack.operationOf(request);
  }

  async handle(request: SimRequest): Promise<SimResponse> {
    if (isProjectsPath(request.url.pathname)) return this.#projects(request);
    const operation = this.openstack.operationOf(request);
    const response = await this.openstack.handle(request);
    if (operation === 'create-token' || operation === 'validate-token') return withIamCatalog(response);
    if (operation === 'list-images' || operation === 'show-image') {
      return withImsAttributes(response, this.#cloud.images);
    }
    return response;
  }

  errorResponse(status: number, message: string, request?: SimRequest): SimResponse {
    return request && isProjectsPath(request.url.pathname)
      ? keystoneErrorResponse(status, message)
      : this.openstack.errorResponse(status, message, request);
  }

  /** ECS, IMS and VPC calls: an access-key signature through the gateway, else a token. */
  #authenticateService(request: Parameters<ServiceAuthenticator>[0]): Promise<AuthOutcome> | AuthOutcome {
    if (isSigned(request.headers)) return this.gateway.project(request);
    return this.openstack.tokenAuthenticator(request);
  }

  /** IAM is a global service: a signed request needs no project, a token any scope. */
  #projects(request: SimRequest): SimResponse {
    let allowed: boolean;
    if (isSigned(request.headers)) {
      const found = this.gateway.user(request);
      if ('refusal' in found) return found.refusal;
      allowed = true;
    } else {
      const token = request.headers['x-auth-token'];
      const issued = this.openstack.tokens.valid(Array.isArray(token) ? token[0] : token);
      allowed = issued !== undefined && issued.user.account.status === 'active';
    }
    if (!allowed) return keystoneErrorResponse(401, 'The request you have made requires authentication.');
    const projects = domainProjects(this.#cloud, this.openstack.directory);
    return listProjects(request.url.searchParams, projects, originOf(request, this.#origin), request.method);
  }
}
