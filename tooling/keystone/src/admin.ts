import { call, KeystoneApiError, type KeystoneCredentials, requestToken } from './identity-api.js';

export interface ProjectAndUserSpec {
  readonly project: string;
  readonly user: string;
  readonly password: string;
  /** Domain name for both; created when missing. Default "Default". */
  readonly domain?: string | undefined;
  /** Role the user gets on the project; default "member" (one of the three `bootstrap` creates). */
  readonly role?: string | undefined;
}

export interface CreatedProjectAndUser {
  readonly domainId: string;
  readonly projectId: string;
  readonly userId: string;
  readonly roleId: string;
}

export interface EndpointsSpec {
  /** Region of the endpoints; created when missing. Default: the region Keystone was bootstrapped with. */
  readonly region?: string | undefined;
  /** Nova's root as clients use it, e.g. `http://127.0.0.1:PORT/compute/v2.1`. */
  readonly compute?: string | undefined;
  /** Glance's root, e.g. `http://127.0.0.1:PORT/image`. */
  readonly image?: string | undefined;
  /** Interfaces to register each URL under; default ["public"]. */
  readonly interfaces?: readonly ('public' | 'internal' | 'admin')[] | undefined;
}

export interface RegisteredService {
  readonly type: string;
  readonly serviceId: string;
  readonly endpointIds: readonly string[];
}

/** The service names the OpenStack installation guide gives Nova and Glance. */
const SERVICE_NAMES: Readonly<Record<string, string>> = { compute: 'nova', image: 'glance' };

/**
 * Administration through Keystone's API as the bootstrap admin. The admin's token is issued again
 * when Keystone answers 401 (it expired: tests may shorten the token lifetime).
 */
export class KeystoneAdmin {
  #token: Promise<string> | undefined;

  constructor(
    private readonly url: string,
    private readonly admin: KeystoneCredentials,
    private readonly defaultRegion: string,
    token?: string,
  ) {
    this.#token = token === undefined ? undefined : Promise.resolve(token);
  }

  /** Creates (domain if missing,) project, user, and the user's role on the project. */
  async createProjectAndUser(spec: ProjectAndUserSpec): Promise<CreatedProjectAndUser> {
    for (const key of ['project', 'user', 'password'] as const) {
      if (typeof spec[key] !== 'string' || spec[key] === '') {
        throw new Error(`createProjectAndUser needs a non-empty ${key}.`);
      }
    }
    const domainId = await this.domainId(spec.domain ?? 'Default');
    const project = (await this.call('POST', '/projects', [201], {
      project: {
        name: spec.project,
        domain_id: domainId,
        enabled: true,
        description: 'SlipStream test project',
      },
    })) as { project: { id: string } };
    const user = (await this.call('POST', '/users', [201], {
      user: {
        name: spec.user,
        password: spec.password,
        domain_id: domainId,
        default_project_id: project.project.id,
        enabled: true,
      },
    })) as { user: { id: string } };
    const roleId = await this.roleId(spec.role ?? 'member');
    await this.call('PUT', `/projects/${project.project.id}/users/${user.user.id}/roles/${roleId}`, [204]);
    return { domainId, projectId: project.project.id, userId: user.user.id, roleId };
  }

  /** Registers the compute ("nova") and image ("glance") services with an endpoint per interface. */
  async registerEndpoints(spec: EndpointsSpec): Promise<RegisteredService[]> {
    const region = spec.region ?? this.defaultRegion;
    const interfaces = spec.interfaces ?? ['public'];
    await this.ensureRegion(region);
    const registered: RegisteredService[] = [];
    for (const [type, url] of [
      ['compute', spec.compute],
      ['image', spec.image],
    ] as const) {
      if (url === undefined) continue;
      if (!/^https?:\/\/[^/]/.test(url))
        throw new Error(`The ${type} endpoint must be an http(s) URL, got ${JSON.stringify(url)}.`);
      const service = (await this.call('POST', '/services', [201], {
        service: { type, name: SERVICE_NAMES[type], enabled: true },
      })) as { service: { id: string } };
      const endpointIds: string[] = [];
      for (const face of interfaces) {
        const endpoint = (await this.call('POST', '/endpoints', [201], {
          endpoint: {
            service_id: service.service.id,
            interface: face,
            region_id: region,
            url,
            enabled: true,
          },
        })) as { endpoint: { id: string } };
        endpointIds.push(endpoint.endpoint.id);
      }
      registered.push({ type, serviceId: service.service.id, endpointIds });
    }
    return registered;
  }

  private async domainId(name: string): Promise<string> {
    const found = (await this.call('GET', `/domains?name=${encodeURIComponent(name)}`, [200])) as {
      domains: { id: string }[];
    };
    const existing = found.domains[0];
    if (existing) return existing.id;
    const created = (await this.call('POST', '/domains', [201], { domain: { name, enabled: true } })) as {
      domain: { id: string };
    };
    return created.domain.id;
  }

  private async roleId(name: string): Promise<string> {
    const found = (await this.call('GET', `/roles?name=${encodeURIComponent(name)}`, [200])) as {
      roles: { id: string }[];
    };
    const role = found.roles[0];
    if (!role) throw new Error(`Keystone has no role named ${JSON.stringify(name)}.`);
    return role.id;
  }

  private async ensureRegion(id: string): Promise<void> {
    try {
      await this.call('GET', `/regions/${encodeURIComponent(id)}`, [200]);
    } catch (error) {
      if (!(error instanceof KeystoneApiError && error.status === 404)) throw error;
      await this.call('POST', '/regions', [201], { region: { id } });
    }
  }

  private async call(
    method: string,
    path: string,
    expected: readonly number[],
    body?: unknown,
  ): Promise<unknown> {
    const token = await this.token(false);
    try {
      return await call(this.url, token, method, path, expected, body);
    } catch (error) {
      if (!(error instanceof KeystoneApiError && error.status === 401)) throw error;
      return call(this.url, await this.token(true), method, path, expected, body);
    }
  }

  private token(renew: boolean): Promise<string> {
    if (renew || !this.#token) {
      const issued = requestToken(this.url, this.admin).then((issued) => issued.token);
      // A failed issue is not cached: the next call tries again.
      issued.catch(() => {
        if (this.#token === issued) this.#token = undefined;
      });
      this.#token = issued;
    }
    return this.#token;
  }
}
