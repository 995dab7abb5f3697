import { createHash } from 'node:crypto';
import type { SimSize, SimVm, SimZone } from '../../model/types.js';
import type { Caller } from '../caller.js';
import { isoSeconds, naiveIso } from '../dates.js';
import { addressesOf } from '../network/networks.js';
import type { NovaLinks } from './links.js';
import type { Microversion } from './microversion.js';
import type { ServerEntry, ServerRecord } from './records.js';
import { novaState } from './server-state.js';

/**
 * A server as Nova's servers view builder shows it to a project member (no admin-only
 * OS-EXT-SRV-ATTR fields, no host_status), field by field per microversion.
 */

export interface ServerViewContext {
  readonly caller: Caller;
  readonly version: Microversion;
  readonly links: NovaLinks;
  readonly sizes: readonly SimSize[];
  readonly zones: readonly SimZone[];
  readonly floatingAddress: (portId: string) => string | undefined;
}

const HOST_IDS = new Map<string, string>();

/** nova.utils.generate_hostid: sha224 of project and host, the same for every server on the host. */
function hostIdOf(projectId: string, host: string): string {
  const key = `${projectId}${host}`;
  let id = HOST_IDS.get(key);
  if (id === undefined) {
    id = createHash('sha224').update(key).digest('hex');
    HOST_IDS.set(key, id);
  }
  return id;
}

/** The host the simulated scheduler puts every server of a zone on. */
function hostOf(vm: SimVm): string {
  return `compute-${vm.zone}`;
}

export function renderServer(
  { vm, phase }: ServerEntry,
  record: ServerRecord,
  context: ServerViewContext,
  options: { readonly detail: boolean } = { detail: true },
): Record<string, unknown> {
  const { caller, version, links } = context;
  const state = novaState(phase, record);
  const goneAt = phase === 'deleted' ? record.deleted?.goneAt : undefined;
  const server: Record<string, unknown> = {
    accessIPv4: '',
    accessIPv6: '',
    // Nova hides the addresses of a server that is still building.
    addresses: ['building', 'deleted'].includes(state.vmState)
      ? {}
      : addressesOf(vm, record.networks, context.floatingAddress),
    created: isoSeconds(vm.createdAt),
    flavor: renderFlavorRef(vm.size, context),
    hostId: hostIdOf(caller.projectId, hostOf(vm)),
    id: vm.id,
    image: { id: vm.image, links: [{ rel: 'bookmark', href: links.bookmarkOf('images', vm.image) }] },
    links: links.of('servers', vm.id),
    metadata: { ...vm.tags },
    name: vm.name,
    status: state.status,
    tenant_id: caller.projectId,
    user_id: record.userId ?? caller.userId,
    updated: isoSeconds(goneAt ?? Math.max(vm.createdAt, vm.phaseSince)),
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': context.zones.find((zone) => zone.id === vm.zone)?.name ?? vm.zone,
    config_drive: '',
    key_name: vm.keyPair ?? null,
    'OS-SRV-USG:launched_at': vm.launchedAt === undefined ? null : naiveIso(vm.launchedAt),
    'OS-SRV-USG:terminated_at': goneAt === undefined ? null : naiveIso(goneAt),
    'OS-EXT-STS:task_state': state.taskState,
    'OS-EXT-STS:vm_state': state.vmState,
    'OS-EXT-STS:power_state': state.powerState,
    'os-extended-volumes:volumes_attached': [],
  };
  // Nova reads security groups from the server's Neutron ports: a server without ports has none.
  if (record.networks.length > 0) {
    const groups = vm.securityGroups.length > 0 ? vm.securityGroups : ['default'];
    server.security_groups = groups.map((name) => ({ name }));
  }
  if (['ACTIVE', 'BUILD'].includes(state.status)) server.progress = 0;
  if (state.status === 'ERROR' && phase !== 'deleted') {
    server.fault = {
      code: 500,
      created: isoSeconds(vm.phaseSince),
      message: 'Build of instance failed: the simulated host reported an error.',
    };
  }
  if (version.atLeast('2.9')) server.locked = false;
  if (version.atLeast('2.19')) server.description = record.description;
  if (version.atLeast('2.26')) server.tags = [];
  if (version.atLeast('2.63')) server.trusted_image_certificates = null;
  // Shown from 2.71 by GET /servers/{id}, never in the detail list.
  if (version.atLeast('2.71') && !options.detail) server.server_groups = [];
  if (version.atLeast('2.73')) server.locked_reason = null;
  if (version.atLeast('2.90')) server['OS-EXT-SRV-ATTR:hostname'] = hostnameOf(vm.name);
  return server;
}

function renderFlavorRef(sizeId: string, context: ServerViewContext): Record<string, unknown> {
  const size = context.sizes.find((candidate) => candidate.id === sizeId);
  if (context.version.atLeast('2.47')) {
    // The flavor embedded as it was at boot; extra_specs are shown to project readers.
    return size
      ? {
          vcpus: size.cpus,
          ram: size.memoryMb,
          disk: size.diskGb ?? 0,
          ephemeral: 0,
          swap: 0,
          original_name: size.name,
          extra_specs: {},
        }
      : {};
  }
  return { id: sizeId, links: [{ rel: 'bookmark', href: context.links.bookmarkOf('flavors', sizeId) }] };
}

/** The server's name as Nova sanitizes it into a hostname (nova.utils.sanitize_hostname). */
export function hostnameOf(name: string): string {
  // Characters outside Latin-1 are dropped first, as Nova's encode('latin-1', 'ignore') does.
  const latin1 = [...name].filter((char) => (char.codePointAt(0) ?? 0) <= 0xff).join('');
  const hostname = latin1
    .slice(0, 63)
    .replace(/[ _.]/g, '-')
    // Python's \w matches any letter or digit, not only ASCII ones.
    .replace(/[^\p{L}\p{N}_.-]+/gu, '')
    .toLowerCase()
    .replace(/^[.-]+|[.-]+$/g, '');
  return hostname === '' ? 'server' : hostname;
}

/** `GET /servers`: id, name and links only. */
export function renderServerBrief(vm: SimVm, links: NovaLinks): Record<string, unknown> {
  return { id: vm.id, name: vm.name, links: links.of('servers', vm.id) };
}
