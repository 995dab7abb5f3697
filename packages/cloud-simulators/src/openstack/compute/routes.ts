/**
 * The Nova paths the simulator serves, below the compute root (`/compute` in devstack's layout),
 * each under its name in the compute API reference, kebab-cased: request logs and fault rules
 * match on these. Like Nova's ProjectMapper, every API path is also served with a project id
 * (hex digits and dashes) after `/v2.1`, as older catalogs and Open Telekom Cloud address it.
 */

export type NovaOperation =
  | 'list-compute-versions'
  | 'show-compute-version'
  | 'list-servers'
  | 'list-servers-detail'
  | 'create-server'
  | 'show-server'
  | 'delete-server'
  | 'server-action'
  | 'list-server-metadata'
  | 'list-flavors'
  | 'list-flavors-detail'
  | 'show-flavor'
  | 'list-flavor-extra-specs'
  | 'show-flavor-extra-spec'
  | 'list-availability-zones'
  | 'list-keypairs'
  | 'create-keypair'
  | 'show-keypair'
  | 'delete-keypair'
  | 'get-limits';

/** The operations of the versioned API, which need a token. */
export type NovaApiOperation = Exclude<NovaOperation, 'list-compute-versions' | 'show-compute-version'>;

interface Route {
  readonly method: string;
  readonly path: RegExp;
  readonly operation: NovaApiOperation;
}

const ID = '([^/]+)';

const ROUTES: readonly Route[] = [
  { method: 'GET', path: /^\/servers$/, operation: 'list-servers' },
  { method: 'GET', path: /^\/servers\/detail$/, operation: 'list-servers-detail' },
  { method: 'POST', path: /^\/servers$/, operation: 'create-server' },
  { method: 'GET', path: new RegExp(`^/servers/${ID}$`), operation: 'show-server' },
  { method: 'DELETE', path: new RegExp(`^/servers/${ID}$`), operation: 'delete-server' },
  { method: 'POST', path: new RegExp(`^/servers/${ID}/action$`), operation: 'server-action' },
  { method: 'GET', path: new RegExp(`^/servers/${ID}/metadata$`), operation: 'list-server-metadata' },
  { method: 'GET', path: /^\/flavors$/, operation: 'list-flavors' },
  { method: 'GET', path: /^\/flavors\/detail$/, operation: 'list-flavors-detail' },
  { method: 'GET', path: new RegExp(`^/flavors/${ID}$`), operation: 'show-flavor' },
  {
    method: 'GET',
    path: new RegExp(`^/flavors/${ID}/os-extra_specs$`),
    operation: 'list-flavor-extra-specs',
  },
  {
    method: 'GET',
    path: new RegExp(`^/flavors/${ID}/os-extra_specs/${ID}$`),
    operation: 'show-flavor-extra-spec',
  },
  { method: 'GET', path: /^\/os-availability-zone$/, operation: 'list-availability-zones' },
  { method: 'GET', path: /^\/os-keypairs$/, operation: 'list-keypairs' },
  { method: 'POST', path: /^\/os-keypairs$/, operation: 'create-keypair' },
  { method: 'GET', path: new RegExp(`^/os-keypairs/${ID}$`), operation: 'show-keypair' },
  { method: 'DELETE', path: new RegExp(`^/os-keypairs/${ID}$`), operation: 'delete-keypair' },
  { method: 'GET', path: /^\/limits$/, operation: 'get-limits' },
];

/** The first path segments that name a collection, so never a project id. */
const COLLECTIONS = new Set(['servers', 'flavors', 'os-availability-zone', 'os-keypairs', 'limits']);

export type NovaRoute =
  | { readonly kind: 'versions' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'api';
      readonly operation: NovaApiOperation;
      readonly param: string | undefined;
      /** A second path parameter (an extra spec's key). */
      readonly subParam: string | undefined;
      /** The project id the URL carries, when it carries one. */
      readonly projectId: string | undefined;
    }
  | { readonly kind: 'not-found' };

/** `path` is below the compute root and percent-decoded, e.g. `/v2.1/servers/detail`. */
export function matchNova(method: string, path: string): NovaRoute {
  if (path === '' || path === '/') return { kind: 'versions' };
  if (path === '/v2.1' || path === '/v2.1/') return { kind: 'version' };
  if (!path.startsWith('/v2.1/')) return { kind: 'not-found' };
  let rest = path.slice('/v2.1'.length).replace(/\/+$/, '');
  let projectId: string | undefined;
  const first = /^\/([^/]+)/.exec(rest)?.[1];
  if (first !== undefined && !COLLECTIONS.has(first) && /^[0-9a-f-]+$/.test(first)) {
    projectId = first;
    rest = rest.slice(first.length + 1);
  }
  for (const route of ROUTES) {
    const match = route.path.exec(rest);
    if (match && route.method === method.toUpperCase()) {
      return { kind: 'api', operation: route.operation, param: match[1], subParam: match[2], projectId };
    }
  }
  return { kind: 'not-found' };
}

export function novaOperation(method: string, path: string): NovaOperation | 'unknown' {
  const route = matchNova(method, path);
  if (route.kind === 'versions') return 'list-compute-versions';
  if (route.kind === 'version') return 'show-compute-version';
  return route.kind === 'api' ? route.operation : 'unknown';
}
