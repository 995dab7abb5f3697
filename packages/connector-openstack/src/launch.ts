import {
  ConnectorError,
  type LaunchRequest,
  launchIdempotently,
  launchIndexOf,
  type Vm,
  WireReader,
} from '@slipstream/connector-core';
import type { OpenStackClient } from './client.js';
import type { SessionContext } from './context.js';
import { attachFloatingIp } from './floating-ips.js';
import { ensureKeyPair } from './keypairs.js';
import { launchMetadata } from './metadata.js';
import type { ServerNetworks } from './networks.js';
import { SETTINGS_DEFAULTS } from './parameters.js';
import { getServer, listServers, toVms } from './vm.js';
import { type GlanceImage, itemOf, type NovaServer, withId } from './wire.js';

/**
 * Launching through core's `launchIdempotently`: find the servers an earlier try with the same
 * idempotency key created (their metadata carries core's launch tags), resolve image, flavor, key
 * pair and networks, create each missing server (POST /servers), and look again when a create's
 * answer was lost. With floating IPs on, each server then gets its address. The VMs come back as
 * Nova shows them right after: usually still BUILD.
 */

/** POST /servers `user_data` limit: 65535 characters of base64. */
const MAX_USER_DATA_BASE64 = 65_535;

/** Names Nova's regular-expression name filter matches literally (as a substring). */
const PLAIN_NAME = /^[A-Za-z0-9 _-]+$/;

interface Plan {
  readonly imageRef: string;
  readonly flavorRef: string;
  readonly keyName: string | undefined;
  readonly userData: string | undefined;
  readonly networks: ServerNetworks;
  readonly zone: string | undefined;
}

export function encodeUserData(userData: string | undefined): string | undefined {
  if (userData === undefined || userData === '') return undefined;
  const encoded = Buffer.from(userData, 'utf8').toString('base64');
  if (encoded.length > MAX_USER_DATA_BASE64) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `"userData" is ${Buffer.byteLength(userData)} bytes; Nova accepts at most ${MAX_USER_DATA_BASE64} characters of base64, about 48 KiB. Compress it (cloud-init reads gzip) or fetch the rest from the VM.`,
    );
  }
  return encoded;
}

export async function launch(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const { client, settings, networks } = context;
  const key = request.idempotencyKey;
  // Checks the tags and the user data before anything is looked up or created.
  launchMetadata(key, 1, request.tags);
  const userData = encodeUserData(request.userData);
  const servers = await launchIdempotently<NovaServer, Plan>(request, {
    find: () => findLaunched(client, request.name, key, signal),
    prepare: () => prepare(context, request, userData, signal),
    create: (index, name, plan) => createServer(client, request, plan, index, name, signal),
    identify: (server) => ({ id: server.id, name: server.name }),
    noun: 'server',
    logger: context.logger,
  });
  if (settings.floatingIps) {
    // The network directory looks it up once per session: after prepare() this costs nothing.
    const network = await networks.floatingNetwork(signal);
    const wait = {
      intervalMs: settings.pollIntervalMs ?? SETTINGS_DEFAULTS.pollIntervalMs,
      timeoutMs: settings.portTimeoutMs ?? SETTINGS_DEFAULTS.portTimeoutMs,
      signal,
    };
    // Also for servers of an earlier try, whose association may be what failed then.
    await Promise.all(servers.map((server) => attachFloatingIp(client, server.id, network, wait)));
  }
  // Nova's create answer holds only the id: show each server as it is now.
  const current = await Promise.all(
    servers.map(async (server) => (await getServer(client, server.id, signal)) ?? server),
  );
  const vms = await toVms(context, current, signal);
  context.logger.debug({ vms: vms.map((vm) => vm.id), idempotencyKey: key }, 'launch');
  return vms;
}

/**
 * The servers of earlier tries of this launch, by launch index. Nova cannot filter on metadata,
 * but its name filter (a regular expression) narrows the listing to servers whose name contains
 * the launch's name when that name has no special character; the metadata decides.
 */
export async function findLaunched(
  client: OpenStackClient,
  name: string,
  key: string,
  signal: AbortSignal | undefined,
): Promise<Map<number, NovaServer>> {
  const query = PLAIN_NAME.test(name) ? { name } : {};
  const found = new Map<number, NovaServer>();
  for (const item of await listServers(client, query, signal)) {
    // A server without an id cannot be addressed, so cannot be one this launch returns.
    const server = withId<NovaServer>(item);
    if (server === undefined) continue;
    const fields = new WireReader(server);
    const index = launchIndexOf(fields.strings('metadata'), key);
    const status = fields.string('status');
    // Servers on their way out do not count: the launch replaces them.
    const leaving =
      fields.string('OS-EXT-STS:task_state') === 'deleting' ||
      status === 'DELETED' ||
      status === 'SOFT_DELETED';
    if (index !== undefined && !leaving && !found.has(index)) found.set(index, server);
  }
  return found;
}

/** Glance image ids are UUIDs; anything else is taken for an image name. */
const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function resolveImage(
  client: OpenStackClient,
  reference: string,
  signal?: AbortSignal,
): Promise<string> {
  if (IMAGE_ID.test(reference)) return reference;
  const data = await client.json<unknown>({
    service: 'image',
    operation: 'list-images',
    method: 'GET',
    path: '/images',
    query: { name: reference },
    signal,
  });
  const images = (data as { images?: GlanceImage[] }).images ?? [];
  const named = Array.isArray(images) ? images.filter((image) => image?.name === reference) : [];
  if (named.length === 1) return (named[0] as GlanceImage).id;
  throw new ConnectorError(
    'INVALID_REQUEST',
    named.length === 0
      ? `Image "${reference}" is neither an image id nor the name of an image this project can use; listImages shows them.`
      : `${named.length} images are named "${reference}"; launch with the id of the one you want (listImages shows them).`,
  );
}

async function prepare(
  context: SessionContext,
  request: LaunchRequest,
  userData: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Plan> {
  const { client, settings, flavors, networks } = context;
  const [imageRef, flavor, keyName, serverNetworks] = await Promise.all([
    resolveImage(client, request.image, signal),
    flavors.find(request.size, signal),
    request.sshPublicKey === undefined ? undefined : ensureKeyPair(client, request.sshPublicKey, signal),
    networks.serverNetworks(signal),
    // Only looked up here so that a misconfigured external network fails before anything is created.
    settings.floatingIps ? networks.floatingNetwork(signal) : undefined,
  ]);
  if (!flavor) {
    const known = (await flavors.all(signal)).map((f) => `${f.name} (${f.id})`);
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Size "${request.size}" is neither the id nor the name of a flavor this project can use. Flavors: ${known.join(', ') || 'none'}.`,
    );
  }
  return {
    imageRef,
    flavorRef: flavor.id,
    keyName,
    userData,
    networks: serverNetworks,
    zone: request.zone ?? settings.zone,
  };
}

/** POST /servers for the `index`-th server of the launch, its launch tags in the metadata. */
async function createServer(
  client: OpenStackClient,
  request: LaunchRequest,
  plan: Plan,
  index: number,
  name: string,
  signal: AbortSignal | undefined,
): Promise<NovaServer> {
  const server = {
    name,
    imageRef: plan.imageRef,
    flavorRef: plan.flavorRef,
    networks: plan.networks,
    metadata: launchMetadata(request.idempotencyKey, index, request.tags),
    ...(plan.zone === undefined ? {} : { availability_zone: plan.zone }),
    ...(plan.keyName === undefined ? {} : { key_name: plan.keyName }),
    ...(plan.userData === undefined ? {} : { user_data: plan.userData }),
  };
  const data = await client.json<unknown>({
    service: 'compute',
    operation: 'create-server',
    method: 'POST',
    path: '/servers',
    body: { server },
    signal,
  });
  // The answer is {id, links, adminPass, ...}: never logged, as adminPass is a secret.
  return itemOf<NovaServer>(data, 'server', 'Nova', 'create-server');
}
