import { hexId } from './directory.js';

/**
 * The service catalog of a token: one entry per service, each with a public, an internal and an
 * admin endpoint in the region (the three interfaces `keystone-manage bootstrap` and devstack
 * register), ids stable for a given service and interface.
 */

export interface CatalogService {
  readonly type: string;
  readonly name: string;
  /** The service root every interface points at. */
  readonly url: string;
}

export interface CatalogEndpoint {
  readonly id: string;
  readonly interface: 'public' | 'internal' | 'admin';
  readonly region: string;
  readonly region_id: string;
  readonly url: string;
}

export interface CatalogEntry {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

const INTERFACES = ['public', 'internal', 'admin'] as const;

/** `$(project_id)s` (or `%(tenant_id)s`...) in a registered URL becomes the token's project id. */
function formatUrl(url: string, scope: CatalogScope): string {
  return url.replace(/[$%]\((project_id|tenant_id|user_id)\)s/g, (_, name: string) =>
    name === 'user_id' ? scope.userId : scope.projectId,
  );
}

/** The ids Keystone substitutes into endpoint URLs (keystone.catalog.core.format_url). */
export interface CatalogScope {
  readonly projectId: string;
  readonly userId: string;
}

export function renderCatalog(
  services: readonly CatalogService[],
  region: string,
  scope: CatalogScope,
): CatalogEntry[] {
  return services.map((service) => ({
    endpoints: INTERFACES.map((face) => ({
      id: hexId(`endpoint:${service.type}:${face}:${region}`),
      interface: face,
      region,
      region_id: region,
      url: formatUrl(service.url, scope),
    })),
    id: hexId(`service:${service.type}:${service.name}`),
    type: service.type,
    name: service.name,
  }));
}
