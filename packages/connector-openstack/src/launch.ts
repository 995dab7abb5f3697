import {
  ConnectorError,
  checkSameLaunch,
  isAmbiguousFailure,
  type LaunchRequest,
  launchNames,
  type Vm,
} from '@slipstream/connector-core';
import type { OpenStackClient } from './client.js';
import type { SessionContext } from './context.js';
import { attachFloatingIp } from './floating-ips.js';
import { ensureKeyPair } from './keypairs.js';
import { launchIndex, launchMetadata } from './metadata.js';
import type { ServerNetworks } from './networks.js';
import { SETTINGS_DEFAULTS } from './parameters.js';
import { getServer, listServers, toVms } from './vm.js';
import { type GlanceImage, itemOf, type NovaServer } from './wire.js';

/**
 * Launching: find the servers an earlier try with the same idempotency key created (their
 * metadata carries the key and their index), resolve image, flavor, key pair and networks, then
 * create each missing server (POST /servers) and, with floating IPs on, give each one its address.
 * A create whose answer is lost (connection reset, timeout, gateway error) is looked up by its
 * metadata before it is reported failed, so that the server it may have made is returned rather
 * than left behind. The VMs come back as Nova shows them right after: usually still BUILD.
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
  readonly floatingNetwork: string | undefined;
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
  const names = launchNames(request);
  const key = request.idempotencyKey;
  // Checks the tags before anything is created.
  launchMetadata(key, 1, request.tags);
  const userData = encodeUserData(request.userData);

  const found = await findLaunched(context.client, request.name, key, signal);
  checkSameLaunch(found, names, key, 'server');
  const missing = names.map((_, i) => i + 1).filter((index) => !found.has(index));
  const plan = await prepare(context, request, userData, missing.length > 0, signal);
  if (missing.length > 0) {
    const created = await Promise.allSettled(
      missing.map((index) => createOne(context, request, plan, index, names[index - 1] as string, signal)),
    );
    created.forEach((result, i) => {
      if (result.status === 'fulfilled') found.set(missing[i] as number, result.value);
    });
    const failure = created.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      context.logger.warn(
        { created: [...found.values()].map((server) => server.id), idempotencyKey: key },
        'launch failed part-way; launching again with the same idempotency key creates only what is missing',
      );
      throw failure.reason;
    }
  }
  const servers = names.map((_, i) => found.get(i + 1) as NovaServer);
  if (plan.floatingNetwork !== undefined) {
    const network = plan.floatingNetwork;
    const wait = {
      intervalMs: context.settings.pollIntervalMs ?? SETTINGS_DEFAULTS.pollIntervalMs,
      timeoutMs: context.settings.portTimeoutMs ?? SETTINGS_DEFAULTS.portTimeoutMs,
      signal,
    };
    // Also for servers of an earlier try, whose association may be what failed then.
    await Promise.all(servers.map((server) => attachFloatingIp(context.client, server.id, network, wait)));
  }
  // Nova's create answer holds only the id: show each server as it is now.
  const current = await Promise.all(
    servers.map(async (server) => (await getServer(context.client, server.id, signal)) ?? server),
  );
  const vms = await toVms(current, context.flavors, context.settings.networks.public, signal);
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
  for (const server of await listServers(client, query, signal)) {
    const index = launchIndex(server.metadata, key);
    // Servers on their way out do not count: the launch replaces them.
    const leaving =
      server['OS-EXT-STS:task_state'] === 'deleting' ||
      server.status === 'DELETED' ||
      server.status === 'SOFT_DELETED';
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
  creating: boolean,
  signal: AbortSignal | undefined,
): Promise<Plan> {
  const { client, settings, flavors, networks } = context;
  const floatingNetwork = settings.floatingIps ? networks.floatingNetwork(signal) : undefined;
  if (!creating) {
    // Nothing to create: only the floating IPs of the servers found may still be missing.
    return {
      imageRef: request.image,
      flavorRef: request.size,
      keyName: undefined,
      userData,
      networks: 'auto',
      zone: undefined,
      floatingNetwork: await floatingNetwork,
    };
  }
  const [imageRef, flavor, keyName, serverNetworks, external] = await Promise.all([
    resolveImage(client, request.image, signal),
    flavors.find(request.size, signal),
    request.sshPublicKey === undefined ? undefined : ensureKeyPair(client, request.sshPublicKey, signal),
    networks.serverNetworks(signal),
    floatingNetwork,
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
    floatingNetwork: external,
  };
}

async function createOne(
  context: SessionContext,
  request: LaunchRequest,
  plan: Plan,
  index: number,
  name: string,
  signal: AbortSignal | undefined,
): Promise<NovaServer> {
  const { client } = context;
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
  try {
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
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    const made = (await findLaunched(client, request.name, request.idempotencyKey, signal)).get(index);
    if (!made) throw error;
    context.logger.info(
      { vm: made.id, idempotencyKey: request.idempotencyKey },
      'the create-server answer was lost, but the server exists: using it',
    );
    return made;
  }
}
