import { ConnectorError } from '@slipstream/connector-core';
import type { EndpointResolver, ServiceKind } from './access.js';

/**
 * The Keystone v3 service catalog (the `catalog` of a token, api-ref identity v3 "Password
 * authentication with scoped authorization") and endpoint lookup in it.
 */

export interface CatalogEndpoint {
  readonly id?: string;
  /** public, internal or admin. */
  readonly interface: string;
  /** Region id; `region` is its deprecated twin, still sent by Keystone. */
  readonly region_id?: string | null;
  readonly region?: string | null;
  readonly url: string;
}

export interface CatalogService {
  readonly id?: string;
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** Where the catalog comes from: a KeystonePasswordAuth, or anything else that has one. */
export interface CatalogSource {
  catalog(signal?: AbortSignal): Promise<readonly CatalogService[]>;
}

export interface ServiceSelector {
  readonly type: string;
  /** Chooses between services of the same type. */
  readonly name?: string | undefined;
}

export interface CatalogEndpointsOptions {
  readonly region: string;
  /** Default public. */
  readonly interface?: 'public' | 'internal' | 'admin' | undefined;
  readonly compute: ServiceSelector;
  /** Default `{ type: 'image' }`. */
  readonly image?: ServiceSelector | undefined;
  /** Default `{ type: 'network' }`. */
  readonly network?: ServiceSelector | undefined;
}

/** Reads the catalog out of a token body, keeping only well-formed entries. */
export function parseCatalog(value: unknown): CatalogService[] {
  if (!Array.isArray(value)) return [];
  const services: CatalogService[] = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { type, name, id, endpoints } = entry as Record<string, unknown>;
    if (typeof type !== 'string' || !Array.isArray(endpoints)) continue;
    services.push({
      type,
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof id === 'string' ? { id } : {}),
      endpoints: endpoints.filter(
        (endpoint): endpoint is CatalogEndpoint =>
          typeof endpoint === 'object' &&
          endpoint !== null &&
          typeof (endpoint as CatalogEndpoint).url === 'string' &&
          typeof (endpoint as CatalogEndpoint).interface === 'string',
      ),
    });
  }
  return services;
}

function regionOf(endpoint: CatalogEndpoint): string | undefined {
  return endpoint.region_id ?? endpoint.region ?? undefined;
}

function describeSelector(selector: ServiceSelector): string {
  return `type "${selector.type}"${selector.name === undefined ? '' : ` and name "${selector.name}"`}`;
}

/**
 * The URL of the one endpoint of a service with the given interface in the given region.
 * CONFIG_INVALID when there is none, or several that differ, saying what the catalog offers.
 */
export function findEndpoint(
  catalog: readonly CatalogService[],
  selector: ServiceSelector,
  region: string,
  iface: string,
): string {
  const ofType = catalog.filter((service) => service.type === selector.type);
  const services =
    selector.name === undefined ? ofType : ofType.filter((service) => service.name === selector.name);
  const matching = services.flatMap((service) =>
    service.endpoints
      .filter((endpoint) => endpoint.interface === iface && regionOf(endpoint) === region)
      .map((endpoint) => ({ service, url: endpoint.url.replace(/\/+$/, '') })),
  );
  const urls = [...new Set(matching.map((match) => match.url))];
  if (urls.length === 1) return urls[0] as string;
  if (urls.length > 1) {
    const names = [...new Set(matching.map((match) => match.service.name ?? match.service.id ?? '?'))];
    throw new ConnectorError(
      'CONFIG_INVALID',
      `The service catalog has ${urls.length} ${iface} endpoints of ${describeSelector(selector)} in region "${region}" (services ${names.join(', ')}); set the service name to choose one.`,
    );
  }
  let offered: string;
  if (services.length === 0) {
    const types = [...new Set(catalog.map((service) => service.type))].sort();
    const named = ofType.map((service) => service.name).filter((name) => name !== undefined);
    offered =
      ofType.length > 0
        ? `services of type "${selector.type}" are named ${named.join(', ') || '(unnamed)'}`
        : `it offers the service types ${types.join(', ') || 'none'}`;
  } else {
    const regions = [
      ...new Set(
        services.flatMap((service) =>
          service.endpoints
            .filter((endpoint) => endpoint.interface === iface)
            .map((endpoint) => regionOf(endpoint) ?? '(no region)'),
        ),
      ),
    ].sort();
    offered =
      regions.length > 0
        ? `its ${iface} endpoints are in the regions ${regions.join(', ')}`
        : `it has no ${iface} endpoint for it`;
  }
  throw new ConnectorError(
    'CONFIG_INVALID',
    `The service catalog has no ${iface} endpoint of ${describeSelector(selector)} in region "${region}": ${offered}. Check the instance's region and service settings.`,
  );
}

/** The default endpoint resolver: lookups in the catalog of the session's Keystone token. */
export class CatalogEndpoints implements EndpointResolver {
  readonly #source: CatalogSource;
  readonly #options: CatalogEndpointsOptions;

  constructor(source: CatalogSource, options: CatalogEndpointsOptions) {
    this.#source = source;
    this.#options = options;
  }

  async endpoint(service: ServiceKind, signal?: AbortSignal): Promise<string> {
    const options = this.#options;
    const selector =
      service === 'compute'
        ? options.compute
        : service === 'image'
          ? (options.image ?? { type: 'image' })
          : (options.network ?? { type: 'network' });
    const catalog = await this.#source.catalog(signal);
    return findEndpoint(catalog, selector, options.region, options.interface ?? 'public');
  }
}

/** An endpoint resolver for known URLs, for clouds whose regional endpoints are fixed. */
export class FixedEndpoints implements EndpointResolver {
  readonly #urls: Readonly<Partial<Record<ServiceKind, string>>>;

  constructor(urls: {
    readonly compute: string;
    readonly image: string;
    readonly network?: string | undefined;
  }) {
    this.#urls = urls;
  }

  async endpoint(service: ServiceKind): Promise<string> {
    const url = this.#urls[service];
    if (url === undefined) {
      throw new ConnectorError(
        'CONFIG_INVALID',
        `No ${service} endpoint is configured for this instance, and the ${service} service is needed here.`,
      );
    }
    return url.replace(/\/+$/, '');
  }
}
