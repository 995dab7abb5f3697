import { readVms, userTags, type Vm, WireReader } from '@slipstream/connector-core';
import { splitAddresses } from './addresses.js';
import { novaItems, type OpenStackClient } from './client.js';
import type { SessionContext } from './context.js';
import { serverState } from './states.js';
import { idOf, itemOf, type NovaServer } from './wire.js';

/**
 * Reading servers: one (GET /servers/{id}), all of them (GET /servers/detail, paged), and the
 * contract's VM view of each, read field by field through core's `WireReader` so that a server
 * with an odd field is shown in state unknown instead of failing the whole listing.
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

/**
 * Every server of the project, following the pages; `query` adds Nova's filters (name...). The
 * items are as Nova sent them, to be read tolerantly: {@link toVms}, or `withId` and a WireReader.
 */
export function listServers(
  client: OpenStackClient,
  query: Readonly<Record<string, string | undefined>> = {},
  signal?: AbortSignal,
): Promise<unknown[]> {
  return novaItems(client, {
    operation: 'list-servers-detail',
    path: '/servers/detail',
    key: 'servers',
    query,
    signal,
  });
}

/** The embedded flavor's names (2.47) that need an id from the flavor list. */
export function flavorNamesOf(servers: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  for (const server of servers) {
    const flavor = new WireReader(server).object('flavor');
    const name = flavor?.string('original_name');
    if (flavor && flavor.id('id') === undefined && name !== undefined) names.add(name);
  }
  return names;
}

/**
 * The VM view of a server. `flavorIds` maps embedded flavor names to ids; a flavor that is gone
 * is reported by its name. `publicNetwork` names the network whose fixed addresses are public.
 * Fields of another shape than documented read as absent and are noted on `server`.
 */
export function toVm(
  server: WireReader,
  flavorIds: ReadonlyMap<string, string>,
  publicNetwork: string | undefined,
): Vm {
  const { state, rawState } = serverState(server.string('status'), server.string('OS-EXT-STS:task_state'));
  const addresses = server.object('addresses');
  const networks: Record<string, readonly unknown[]> = {};
  for (const network of Object.keys(addresses?.raw ?? {})) {
    networks[network] = addresses?.list(network) ?? [];
  }
  const { publicIps, privateIps } = splitAddresses(networks, publicNetwork);
  const flavor = server.object('flavor');
  const flavorName = flavor?.string('original_name');
  const size =
    flavor?.id('id') ?? (flavorName === undefined ? undefined : (flavorIds.get(flavorName) ?? flavorName));
  // A server booted from a volume has `"image": ""` rather than an object.
  const image = server.raw.image === '' ? undefined : server.object('image')?.id('id');
  const zone = server.string('OS-EXT-AZ:availability_zone');
  return {
    id: server.id('id') ?? '',
    name: server.string('name') ?? '',
    state,
    rawState,
    publicIps,
    privateIps,
    image,
    size,
    zone: zone === '' ? undefined : zone,
    createdAt: server.string('created'),
    tags: userTags(server.strings('metadata')),
  };
}

/**
 * Servers as VMs, their embedded flavors resolved to ids in one flavor lookup, through core's
 * `readVms`: a server with fields that cannot be read is shown in state unknown with what could
 * be read, one without an id is left out, and each listing logs one warning naming the fields.
 */
export async function toVms(
  context: Pick<SessionContext, 'flavors' | 'settings' | 'logger'>,
  servers: readonly unknown[],
  signal?: AbortSignal,
): Promise<Vm[]> {
  const flavorIds = await context.flavors.idsByName(flavorNamesOf(servers), signal);
  const publicNetwork = context.settings.networks.public;
  return readVms(servers, (server) => toVm(server, flavorIds, publicNetwork), {
    logger: context.logger,
    what: 'Nova servers',
  });
}

/** The servers with the given ids, in that order, unknown ones left out. */
export async function findServers(
  client: OpenStackClient,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<unknown[]> {
  if (ids.length <= SINGLE_LOOKUPS) {
    const found = await Promise.all(ids.map((id) => getServer(client, id, signal)));
    return found.filter((server): server is NovaServer => server !== undefined);
  }
  const byId = new Map<string, unknown>();
  for (const server of await listServers(client, {}, signal)) {
    const id = idOf(server);
    if (id !== undefined && !byId.has(id)) byId.set(id, server);
  }
  return ids.flatMap((id) => {
    const server = byId.get(id);
    return server === undefined ? [] : [server];
  });
}
