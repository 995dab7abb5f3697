import type { Vm } from '@slipstream/connector-core';
import { userTags } from '@slipstream/connector-core';
import { splitAddresses } from './addresses.js';
import type { FlavorCache } from './catalog.js';
import { novaList, type OpenStackClient } from './client.js';
import { serverState } from './states.js';
import { itemOf, type NovaServer } from './wire.js';

/**
 * Reading servers: one (GET /servers/{id}), all of them (GET /servers/detail, paged), and the
 * contract's VM view of each.
 */

/** Up to this many ids, describe asks for each server; beyond, one listing serves them all. */
export const SINGLE_LOOKUPS = 20;

/** A server's id by itself; undefined when Nova does not know it (any more). */
export async function getServer(
  client: OpenStackClient,
  id: string,
  signal?: AbortSignal,
): Promise<NovaServer | undefined> {
  const answer = await client.call<unknown>({
    service: 'compute',
    operation: 'show-server',
    method: 'GET',
    path: `/servers/${encodeURIComponent(id)}`,
    signal,
    acceptStatus: [404],
  });
  if (answer.status === 404) return undefined;
  return itemOf<NovaServer>(answer.data, 'server', 'Nova', 'show-server');
}

/** Every server of the project, following the pages; `query` adds Nova's filters (name...). */
export function listServers(
  client: OpenStackClient,
  query: Readonly<Record<string, string | undefined>> = {},
  signal?: AbortSignal,
): Promise<NovaServer[]> {
  return novaList<NovaServer>(client, {
    operation: 'list-servers-detail',
    path: '/servers/detail',
    key: 'servers',
    query,
    signal,
  });
}

function imageId(image: NovaServer['image']): string | undefined {
  if (typeof image === 'object' && image !== null && typeof image.id === 'string' && image.id !== '') {
    return image.id;
  }
  return undefined;
}

/** The embedded flavor's names (2.47) that need an id from the flavor list. */
export function flavorNamesOf(servers: readonly NovaServer[]): Set<string> {
  const names = new Set<string>();
  for (const server of servers) {
    const flavor = server.flavor;
    if (flavor && typeof flavor.id !== 'string' && typeof flavor.original_name === 'string') {
      names.add(flavor.original_name);
    }
  }
  return names;
}

/**
 * The VM view of a server. `flavorIds` maps embedded flavor names to ids; a flavor that is gone
 * is reported by its name. `publicNetwork` names the network whose fixed addresses are public.
 */
export function toVm(
  server: NovaServer,
  flavorIds: ReadonlyMap<string, string>,
  publicNetwork: string | undefined,
): Vm {
  const { state, rawState } = serverState(server.status, server['OS-EXT-STS:task_state']);
  const { publicIps, privateIps } = splitAddresses(server.addresses, publicNetwork);
  const flavor = server.flavor;
  const size =
    typeof flavor?.id === 'string'
      ? flavor.id
      : typeof flavor?.original_name === 'string'
        ? (flavorIds.get(flavor.original_name) ?? flavor.original_name)
        : undefined;
  const zone = server['OS-EXT-AZ:availability_zone'];
  return {
    id: server.id,
    name: typeof server.name === 'string' ? server.name : '',
    state,
    rawState,
    publicIps,
    privateIps,
    image: imageId(server.image),
    size,
    zone: typeof zone === 'string' && zone !== '' ? zone : undefined,
    createdAt: typeof server.created === 'string' ? server.created : undefined,
    tags: userTags(server.metadata),
  };
}

/** Servers as VMs, their embedded flavors resolved to ids in one flavor lookup. */
export async function toVms(
  servers: readonly NovaServer[],
  flavors: FlavorCache,
  publicNetwork: string | undefined,
  signal?: AbortSignal,
): Promise<Vm[]> {
  const flavorIds = await flavors.idsByName(flavorNamesOf(servers), signal);
  return servers.map((server) => toVm(server, flavorIds, publicNetwork));
}

/** The servers with the given ids, in that order, unknown ones left out. */
export async function findServers(
  client: OpenStackClient,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<NovaServer[]> {
  if (ids.length <= SINGLE_LOOKUPS) {
    const found = await Promise.all(ids.map((id) => getServer(client, id, signal)));
    return found.filter((server): server is NovaServer => server !== undefined);
  }
  const byId = new Map((await listServers(client, {}, signal)).map((server) => [server.id, server]));
  return ids.flatMap((id) => {
    const server = byId.get(id);
    return server ? [server] : [];
  });
}
