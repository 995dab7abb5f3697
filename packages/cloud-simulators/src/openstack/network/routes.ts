/**
 * The Neutron paths the simulator serves, below the network root (devstack's `/networking`), each
 * under its API reference name in kebab-case; a `.json` suffix is allowed, as Neutron allows it.
 */

export type NeutronOperation =
  | 'list-networking-versions'
  | 'list-networking-resources'
  | 'list-networks'
  | 'show-network'
  | 'list-subnets'
  | 'show-subnet'
  | 'list-ports'
  | 'show-port'
  | 'list-floatingips'
  | 'create-floatingip'
  | 'show-floatingip'
  | 'update-floatingip'
  | 'delete-floatingip';

export type NeutronRoute =
  | { readonly kind: 'public'; readonly operation: 'list-networking-versions' | 'list-networking-resources' }
  | { readonly kind: 'api'; readonly operation: NeutronOperation; readonly param: string | undefined }
  | { readonly kind: 'not-found' };

const COLLECTIONS: Readonly<Record<string, [list: NeutronOperation, show: NeutronOperation]>> = {
  networks: ['list-networks', 'show-network'],
  subnets: ['list-subnets', 'show-subnet'],
  ports: ['list-ports', 'show-port'],
  floatingips: ['list-floatingips', 'show-floatingip'],
};

/** `path` is below the network root, e.g. `/v2.0/floatingips/<id>`; a `.json` suffix is allowed. */
export function matchNeutron(method: string, path: string): NeutronRoute {
  const trimmed = path.replace(/\/+$/, '').replace(/\.json$/, '');
  if (trimmed === '') return { kind: 'public', operation: 'list-networking-versions' };
  if (trimmed === '/v2.0') return { kind: 'public', operation: 'list-networking-resources' };
  const match = /^\/v2\.0\/([a-z]+)(?:\/([^/]+))?$/.exec(trimmed);
  const collection = match ? COLLECTIONS[match[1] ?? ''] : undefined;
  if (!match || !collection) return { kind: 'not-found' };
  const param = match[2];
  const verb = method.toUpperCase();
  if (verb === 'GET')
    return { kind: 'api', operation: param === undefined ? collection[0] : collection[1], param };
  if (match[1] === 'floatingips') {
    if (verb === 'POST' && param === undefined) return { kind: 'api', operation: 'create-floatingip', param };
    if (verb === 'PUT' && param !== undefined) return { kind: 'api', operation: 'update-floatingip', param };
    if (verb === 'DELETE' && param !== undefined)
      return { kind: 'api', operation: 'delete-floatingip', param };
  }
  return { kind: 'not-found' };
}

export function neutronOperation(method: string, path: string): NeutronOperation | 'unknown' {
  const route = matchNeutron(method, path);
  return route.kind === 'not-found' ? 'unknown' : route.operation;
}
