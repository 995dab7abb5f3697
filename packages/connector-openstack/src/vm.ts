import { readId, readVms, userTags, type Vm, type WireReader } from '@slipstream/connector-core';
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
    // Read directly: this pass only collects names, and a field of another shape is noted when
    // toVm reads the server.
    const flavor = isRecord(server) ? server.flavor : undefined;
    if (!isRecord(flavor)) continue;
    const name = flavor.original_name;
    if (typeof name === 'string' && readId(flavor.id) === undefined) names.add(name);
  }
  return names;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The VM view of a server. `flavorIds` maps embedded flavor names to ids; a flavor that is gone
 * is reported by its name. `publicNetwork` names the network whose fixed addresses are public.
 * Fields of another shape than documented read as absent and are noted on `server`.
 *
 * Each field is read straight off the parsed object when it has the documented type, the case of
 * nearly every server, and through the reader otherwise, which notes it: a listing maps
 * thousands of servers, and reading each field by a computed name through a generic reader costs
 * more than parsing the answer. The fields are read in the reader's order, so that the noted
 * fields come out in the same order either way.
 */
export function toVm(
  server: WireReader,
  flavorIds: ReadonlyMap<string, string>,
  publicNetwork: string | undefined,
): Vm {
  const raw = server.raw;
  const rawStatus = raw.status;
  const rawTask = raw['OS-EXT-STS:task_state'];
  const { state, rawState } = serverState(
    typeof rawStatus === 'string' ? rawStatus : server.string('status'),
    typeof rawTask === 'string' || rawTask === null ? rawTask : server.string('OS-EXT-STS:task_state'),
  );
  const { publicIps, privateIps } = serverAddresses(server, publicNetwork);
  const size = flavorOf(server, flavorIds);
  const image = imageOf(server);
  const rawZone = raw['OS-EXT-AZ:availability_zone'];
  const zone = typeof rawZone === 'string' ? rawZone : server.string('OS-EXT-AZ:availability_zone');
  const rawId = raw.id;
  const id = typeof rawId === 'string' ? rawId : server.id('id');
  const rawName = raw.name;
  const name = typeof rawName === 'string' ? rawName : server.string('name');
  const rawCreated = raw.created;
  const createdAt = typeof rawCreated === 'string' ? rawCreated : server.string('created');
  const metadata = raw.metadata;
  return {
    id: id ?? '',
    name: name ?? '',
    state,
    rawState,
    publicIps,
    privateIps,
    image,
    size,
    zone: zone === '' ? undefined : zone,
    createdAt,
    // No metadata at all, the usual case, needs no copy; any other is read and filtered by core.
    tags: isRecord(metadata) && isEmpty(metadata) ? {} : userTags(server.strings('metadata')),
  };
}

function isEmpty(record: Readonly<Record<string, unknown>>): boolean {
  for (const _ in record) return false;
  return true;
}

/** The addresses of every network of the server, each list read as the reader would. */
function serverAddresses(
  server: WireReader,
  publicNetwork: string | undefined,
): { publicIps: string[]; privateIps: string[] } {
  const addresses = server.raw.addresses;
  if (addresses === undefined || addresses === null) return { publicIps: [], privateIps: [] };
  if (isRecord(addresses)) {
    let wellFormed = true;
    for (const network in addresses) {
      const list = addresses[network];
      if (!Array.isArray(list) && list !== undefined && list !== null) wellFormed = false;
    }
    if (wellFormed) return splitAddresses(addresses as Record<string, readonly unknown[]>, publicNetwork);
  }
  // Some network's addresses (or the whole field) have another shape: the reader notes which.
  const reader = server.object('addresses');
  const networks: Record<string, readonly unknown[]> = {};
  for (const network of Object.keys(reader?.raw ?? {})) networks[network] = reader?.list(network) ?? [];
  return splitAddresses(networks, publicNetwork);
}

/** The flavor's id, or the id of its embedded name (its name when the flavor is gone). */
function flavorOf(server: WireReader, flavorIds: ReadonlyMap<string, string>): string | undefined {
  const raw = server.raw.flavor;
  let name: string | undefined;
  let id: string | undefined;
  if (isRecord(raw) && typeof raw.original_name === 'string' && raw.id === undefined) {
    name = raw.original_name;
  } else if (
    isRecord(raw) &&
    raw.original_name === undefined &&
    typeof raw.id === 'string' &&
    raw.id !== ''
  ) {
    id = raw.id;
  } else {
    const flavor = server.object('flavor');
    name = flavor?.string('original_name');
    id = flavor?.id('id');
  }
  return id ?? (name === undefined ? undefined : (flavorIds.get(name) ?? name));
}

/** The image's id; none for a server booted from a volume, which has `"image": ""`. */
function imageOf(server: WireReader): string | undefined {
  const raw = server.raw.image;
  if (raw === '') return undefined;
  if (isRecord(raw) && typeof raw.id === 'string' && raw.id !== '') return raw.id;
  return server.object('image')?.id('id');
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
