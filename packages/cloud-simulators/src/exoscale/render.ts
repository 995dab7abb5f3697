import type { SimImage, SimKeyPair, SimOperation, SimSize, SimVm, SimZone, VmPhase } from '../model/types.js';
import type { SecurityGroup } from './security-groups.js';

/**
 * The model in Exoscale API v2 field names and types (components/schemas of the API v2 OpenAPI
 * document): kebab-case keys, sizes in bytes, dates as RFC 3339 without fractions, references to
 * other resources as `{ "id": ... }` objects. Absent values are left out, as the API does.
 */

type Json = Record<string, unknown>;

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export function timestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `instance-state`: destroyed and expunging VMs are `destroying` until they are gone (then 404). */
export const INSTANCE_STATES: Readonly<Record<VmPhase, string>> = Object.freeze({
  starting: 'starting',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  destroyed: 'destroying',
  expunging: 'destroying',
  error: 'error',
});

export function renderZone(zone: SimZone, baseUrl: string): Json {
  return {
    name: zone.id,
    // Where this simulator serves the zone: a client that follows api-endpoint stays on it.
    'api-endpoint': `${baseUrl}/${zone.id}/v2`,
    'sos-endpoint': `https://sos-${zone.id}.exo.io`,
  };
}

/** Family and default user from the model's operating system, e.g. "Ubuntu 24.04" → ubuntu. */
function osDetails(os: string): { family: string; version: string } {
  const [family = 'other', ...version] = os.trim().split(/\s+/);
  return { family: family.toLowerCase(), version: version.join(' ') };
}

export function renderTemplate(image: SimImage, allZones: readonly string[]): Json {
  const { family, version } = osDetails(image.os);
  return {
    id: image.id,
    name: image.name,
    description: image.description,
    family,
    ...(version ? { version } : {}),
    size: image.sizeGb * GIB,
    'default-user': family,
    'ssh-key-enabled': true,
    'password-enabled': true,
    'boot-mode': 'legacy',
    build: timestamp(image.createdAt).slice(0, 10),
    ...(image.featured ? { maintainer: 'Exoscale' } : {}),
    visibility: image.featured ? 'public' : 'private',
    'created-at': timestamp(image.createdAt),
    zones: [...(image.zones ?? allZones)],
  };
}

export function renderInstanceType(size: SimSize, allZones: readonly string[]): Json {
  return {
    id: size.id,
    size: size.name,
    family: size.family,
    cpus: size.cpus,
    memory: size.memoryMb * MIB,
    authorized: true,
    zones: [...allZones],
  };
}

/** A MAC address derived from the instance id, stable across answers, locally administered. */
function macAddress(id: string): string {
  const hex = id.replaceAll('-', '').slice(-10);
  return `06:${hex.match(/../g)?.join(':') ?? '00:00:00:00:00'}`;
}

export function renderInstance(vm: SimVm, options: { withUserData?: boolean } = {}): Json {
  const labels = Object.keys(vm.tags).length > 0 ? { labels: { ...vm.tags } } : {};
  return {
    id: vm.id,
    name: vm.name,
    state: INSTANCE_STATES[vm.phase],
    'created-at': timestamp(vm.createdAt),
    'instance-type': { id: vm.size },
    template: { id: vm.image },
    'disk-size': vm.diskGb,
    'public-ip-assignment': 'inet4',
    'public-ip': vm.publicIp,
    'mac-address': macAddress(vm.id),
    ...(vm.keyPair === undefined
      ? {}
      : { 'ssh-key': { name: vm.keyPair }, 'ssh-keys': [{ name: vm.keyPair }] }),
    ...(vm.securityGroups.length > 0 ? { 'security-groups': vm.securityGroups.map((id) => ({ id })) } : {}),
    ...labels,
    ...(options.withUserData && vm.userData !== undefined ? { 'user-data': vm.userData } : {}),
  };
}

export function renderSecurityGroup(group: SecurityGroup): Json {
  return { id: group.id, name: group.name, description: group.description };
}

export function renderSshKey(pair: SimKeyPair): Json {
  return { name: pair.name, fingerprint: pair.fingerprint };
}

/** The resource an operation acted on and the command that reads it; undefined when it names none. */
function operationReference(operation: SimOperation): Json | undefined {
  const id = operation.resource;
  if (id === undefined) return undefined;
  // An SSH key has a name but no id (a UUID in the reference schema): it is referred to by link only.
  return operation.command.endsWith('ssh-key')
    ? { link: `/v2/ssh-key/${id}`, command: 'get-ssh-key' }
    : { id, link: `/v2/instance/${id}`, command: 'get-instance' };
}

/**
 * An `operation`: state pending|success|failure, a reference to the resource with the command
 * that reads it (`get-instance`), and on failure a reason from the API's enum and a message.
 */
export function renderOperation(operation: SimOperation): Json {
  const reference = operationReference(operation);
  const failure =
    operation.status === 'failure'
      ? { reason: 'unknown', message: operation.error ?? 'The operation failed.' }
      : {};
  return { id: operation.id, state: operation.status, ...(reference ? { reference } : {}), ...failure };
}
