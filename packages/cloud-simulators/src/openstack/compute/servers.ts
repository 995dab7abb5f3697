import { randomBytes } from 'node:crypto';
import type { SimVm } from '../../model/types.js';
import { isObject, parseJson } from '../http.js';
import { NETWORKS, PRIVATE_NETWORK, type SimNetwork } from '../network/networks.js';
import { fromSimError, type NovaCall, type NovaContext, type NovaResult } from './context.js';
import { badRequest, conflict, forbidden, notFound } from './errors.js';
import { type CreateServerRequest, readCreateServer } from './server-create.js';
import { listServers } from './server-list.js';
import { novaState } from './server-state.js';
import { renderServer, renderServerBrief, type ServerViewContext } from './server-view.js';

/** The servers API: list, show, create, delete and the os-stop/os-start actions. */

/** Nova's default metadata_items quota. */
export const METADATA_ITEMS_LIMIT = 128;

const GIB = 1024 ** 3;

export function handleServers(context: NovaContext, call: NovaCall): NovaResult {
  switch (call.operation) {
    case 'list-servers':
    case 'list-servers-detail':
      return list(context, call, call.operation === 'list-servers-detail');
    case 'show-server': {
      const vm = server(context, call);
      const view = renderServer({ vm, phase: vm.phase }, context.records.get(vm.id), viewOf(context, call), {
        detail: false,
      });
      return { status: 200, body: { server: view } };
    }
    case 'list-server-metadata':
      return { status: 200, body: { metadata: { ...server(context, call).tags } } };
    case 'create-server':
      return create(context, call);
    case 'delete-server':
      return remove(context, call);
    case 'server-action':
      return action(context, call);
    default:
      throw new Error(`${call.operation} is not a servers operation`);
  }
}

function viewOf(context: NovaContext, call: NovaCall): ServerViewContext {
  return {
    caller: call.caller,
    version: call.version,
    links: call.links,
    sizes: context.cloud.sizes,
    zones: context.cloud.zones,
    floatingAddress: context.floatingAddress,
  };
}

/** The server of the path, in the caller's project. */
function server(context: NovaContext, call: NovaCall): SimVm {
  const id = call.param ?? '';
  const vm = context.cloud.vm(call.caller.account, id);
  if (!vm) throw notFound(`Instance ${id} could not be found.`);
  return vm;
}

function list(context: NovaContext, call: NovaCall, detail: boolean): NovaResult {
  const { cloud, records } = context;
  const account = call.caller.account;
  const live = cloud.vms(account).map((vm) => ({ vm, phase: vm.phase }));
  const liveIds = new Set(live.map(({ vm }) => vm.id));
  // A delete that failed leaves the server in the model (in error): it is not deleted.
  const deleted = records
    .deletedOf(account, cloud.clock.now())
    .filter((vm) => !liveIds.has(vm.id))
    .map((vm) => ({ vm, phase: 'deleted' as const }));
  const listed = listServers(live, deleted, call.query, {
    caller: call.caller,
    version: call.version,
    records,
    maxLimit: context.maxLimit,
    zoneName: (id) => cloud.zones.find((zone) => zone.id === id)?.name ?? id,
    floatingAddress: context.floatingAddress,
  });
  const view = viewOf(context, call);
  const servers = listed.servers.map((entry) =>
    detail ? renderServer(entry, records.get(entry.vm.id), view) : renderServerBrief(entry.vm, call.links),
  );
  const body: Record<string, unknown> = { servers };
  if (listed.nextMarker !== undefined) {
    body.servers_links = call.links.next(
      detail ? 'servers/detail' : 'servers',
      call.query,
      listed.nextMarker,
    );
  }
  return { status: 200, body };
}

function create(context: NovaContext, call: NovaCall): NovaResult {
  const { cloud, records } = context;
  const parsed = parseJson(call.body);
  if (!parsed) throw badRequest('Malformed request body');
  const request = readCreateServer(parsed.value, call.version);
  if (request.minCount > request.maxCount) throw badRequest('min_count must be <= max_count');
  const zone = zoneOf(context, request);
  const image = imageOf(context, request);
  const networks = networksOf(request, call);
  const flavorId = request.flavorRef.split('/').pop() ?? request.flavorRef;
  const flavor = cloud.sizes.find((size) => size.id === flavorId);
  if (!flavor) throw badRequest(`Flavor ${flavorId} could not be found.`);
  if (
    request.keyName !== undefined &&
    !cloud.keyPairs(call.caller.account).some((pair) => pair.name === request.keyName)
  ) {
    throw badRequest('Invalid key_name provided.');
  }
  for (const group of request.securityGroups ?? []) {
    if (group !== 'default') throw badRequest(`Security group ${group} not found.`);
  }
  if (Object.keys(request.metadata).length > METADATA_ITEMS_LIMIT) {
    throw forbidden(`Maximum number of metadata items exceeds ${METADATA_ITEMS_LIMIT}`);
  }
  const diskGb = flavor.diskGb ?? image.sizeGb;
  if (diskGb < image.sizeGb) {
    throw badRequest(
      `Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${diskGb * GIB} bytes, minimum size is ${image.sizeGb * GIB} bytes.`,
    );
  }
  const count = allowedCount(context, call, request);
  const created: SimVm[] = [];
  for (let index = 1; index <= count; index += 1) {
    try {
      const { vm } = cloud.createVm(
        call.caller.account,
        {
          // multi_instance_display_name_template: "%(name)s-%(count)d"
          name: count > 1 ? `${request.name}-${index}` : request.name,
          zone: zone.id,
          image: image.id,
          size: flavor.id,
          diskGb,
          keyPair: request.keyName,
          userData: request.userData,
          securityGroups: request.securityGroups ?? [],
          tags: request.metadata,
        },
        'create-server',
      );
      records.set(vm.id, {
        userId: call.caller.userId,
        description: request.description === undefined ? request.name : request.description,
        networks,
        lastAction: 'create',
      });
      created.push(vm);
    } catch (error) {
      fromSimError(error);
    }
  }
  const first = created[0] as SimVm;
  const links = call.links.of('servers', first.id);
  return {
    status: 202,
    headers: { location: links[0]?.href ?? '' },
    body: {
      server: {
        id: first.id,
        links,
        'OS-DCF:diskConfig': 'MANUAL',
        security_groups: (request.securityGroups ?? ['default']).map((name) => ({ name })),
        // enable_instance_password: Nova generates one when the client sets none.
        adminPass: request.adminPass ?? randomBytes(9).toString('base64url').slice(0, 12),
      },
    },
  };
}

function zoneOf(context: NovaContext, request: CreateServerRequest) {
  const zones = context.cloud.zones;
  if (request.availabilityZone === undefined) return zones[0] ?? notAvailable();
  if (request.availabilityZone.includes(':')) {
    // "zone:host" pins a host, which only administrators may do.
    throw forbidden("Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.");
  }
  return zones.find((zone) => zone.name === request.availabilityZone) ?? notAvailable();
}

function notAvailable(): never {
  throw badRequest('The requested availability zone is not available');
}

function imageOf(context: NovaContext, request: CreateServerRequest) {
  if (request.imageRef === undefined || request.imageRef === '') {
    // Booting from a volume needs block device mappings, which the simulator does not model.
    throw badRequest(request.hasBlockDevices ? 'Can not find requested image' : 'Missing imageRef attribute');
  }
  const id = request.imageRef.toLowerCase();
  const image = context.cloud.images.find((candidate) => candidate.id.toLowerCase() === id);
  if (!image) throw badRequest('Can not find requested image');
  return image;
}

/** The networks a new server is plugged into; `auto` and no networks at all mean the project's own. */
function networksOf(request: CreateServerRequest, call: NovaCall): readonly SimNetwork[] {
  const requested = request.networks;
  if (requested === undefined || requested.kind === 'auto') return [PRIVATE_NETWORK];
  if (requested.kind === 'none') return [];
  return requested.entries.map((entry) => {
    if (entry.port !== undefined) throw badRequest(`Port id ${entry.port} could not be found.`);
    const uuid = entry.uuid ?? '';
    if (!call.version.atLeast('2.37') && !/^[0-9a-f-]{32,36}$/i.test(uuid)) {
      throw badRequest(`Bad networks format: network uuid is not in proper format (${uuid})`);
    }
    const network = NETWORKS.find((candidate) => candidate.id === uuid.toLowerCase());
    if (!network) throw badRequest(`Network ${uuid} could not be found.`);
    if (network.external)
      throw forbidden(`It is not allowed to create an interface on external network ${network.id}`);
    return network;
  });
}

/**
 * How many servers quota lets this request create: max_count if it fits, else as many as fit
 * down to min_count, else Nova's TooManyInstances (403).
 */
function allowedCount(context: NovaContext, call: NovaCall, request: CreateServerRequest): number {
  const account = context.cloud.accounts().find((candidate) => candidate.id === call.caller.account);
  const limit = account?.vmLimit ?? Number.POSITIVE_INFINITY;
  const used = context.cloud
    .vms(call.caller.account)
    .filter((vm) => vm.phase !== 'expunging' && vm.phase !== 'destroyed').length;
  const headroom = Math.max(0, limit - used);
  if (request.maxCount <= headroom) return request.maxCount;
  if (request.minCount <= headroom) return headroom;
  const requested =
    request.minCount === request.maxCount ? `${request.minCount}` : `${request.minCount}-${request.maxCount}`;
  throw forbidden(
    `Quota exceeded for instances: Requested ${requested}, but already used ${used} of ${limit} instances`,
  );
}

function remove(context: NovaContext, call: NovaCall): NovaResult {
  const vm = server(context, call);
  const record = context.records.get(vm.id);
  // Nova accepts a delete in any state, again while one is under way (and after one failed).
  const underWay = vm.phase === 'expunging' || (record.lastAction === 'delete' && vm.phase !== 'error');
  if (underWay) return { status: 204 };
  context.records.set(vm.id, { lastAction: 'delete', vmStateAtDelete: novaState(vm.phase, record).vmState });
  try {
    const operation = context.cloud.destroyVm(call.caller.account, vm.id, true, 'delete-server');
    context.records.set(vm.id, { deleted: { snapshot: vm, goneAt: operation.completesAt } });
  } catch (error) {
    fromSimError(error);
  }
  return { status: 204 };
}

/** POST /servers/{id}/action with exactly one action key, as nova.api.openstack.wsgi.action_peek reads it. */
function action(context: NovaContext, call: NovaCall): NovaResult {
  const parsed = parseJson(call.body);
  if (!parsed || !isObject(parsed.value) || Object.keys(parsed.value).length !== 1) {
    throw badRequest('Malformed request body');
  }
  const [name, argument] = Object.entries(parsed.value)[0] as [string, unknown];
  if (name !== 'os-stop' && name !== 'os-start') throw badRequest(`There is no such action: ${name}`);
  if (argument !== null) {
    throw badRequest(
      `Invalid input for field/attribute ${name}. Value: ${JSON.stringify(argument)}. ${JSON.stringify(argument)} is not of type 'null'`,
    );
  }
  const vm = server(context, call);
  const record = context.records.get(vm.id);
  const state = novaState(vm.phase, record);
  const verb = name === 'os-stop' ? 'stop' : 'start';
  // check_instance_state: vm_state first, then task_state.
  const wanted = verb === 'stop' ? ['active'] : ['stopped'];
  if (!wanted.includes(state.vmState)) {
    throw conflict(`Cannot '${verb}' instance ${vm.id} while it is in vm_state ${state.vmState}`);
  }
  if (state.taskState !== null) {
    throw conflict(`Cannot '${verb}' instance ${vm.id} while it is in task_state ${state.taskState}`);
  }
  try {
    if (verb === 'stop') context.cloud.stopVm(call.caller.account, vm.id, 'server-action');
    else context.cloud.startVm(call.caller.account, vm.id, 'server-action');
  } catch (error) {
    fromSimError(error);
  }
  context.records.set(vm.id, { lastAction: verb });
  return { status: 202 };
}
