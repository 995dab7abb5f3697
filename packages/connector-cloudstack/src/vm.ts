import { isIP } from 'node:net';
import { ConnectorError, mapState, type Tags, type Vm } from '@slipstream/connector-core';
import type { CloudStackClient, Json, RequestOptions } from './client.js';
import { CLOUDSTACK_STATES } from './states.js';
import { isoTime, text } from './wire.js';

/**
 * CloudStack's VM (UserVmResponse) as the contract's VM, and the tags the connector keeps on VMs
 * for itself.
 */

/** Tags the connector writes on the VMs it launches: how a retried launch finds them again. */
export const INTERNAL_TAGS = Object.freeze({
  idempotencyKey: 'slipstream.idempotency-key',
  launchIndex: 'slipstream.launch-index',
});

const HIDDEN_TAGS: ReadonlySet<string> = new Set(Object.values(INTERNAL_TAGS));

export function toVm(raw: Json): Vm {
  const state = text(raw, 'state') ?? '';
  const { publicIps, privateIps } = addressesOf(raw);
  return {
    id: text(raw, 'id') ?? '',
    // `displayname` is the name the user chose; `name` is the host name CloudStack may have made up.
    name: text(raw, 'displayname') || text(raw, 'name') || '',
    state: mapState(CLOUDSTACK_STATES, state),
    rawState: state,
    publicIps,
    privateIps,
    image: text(raw, 'templateid'),
    size: text(raw, 'serviceofferingid'),
    zone: text(raw, 'zoneid'),
    createdAt: isoTime(text(raw, 'created')),
    tags: tagsOf(raw, false),
  };
}

/** The VM's tags as a record; the connector's own ones only when `internal`. */
export function tagsOf(raw: Json, internal: boolean): Tags {
  const tags: Record<string, string> = {};
  const list = raw.tags;
  if (!Array.isArray(list)) return tags;
  for (const tag of list) {
    if (typeof tag !== 'object' || tag === null) continue;
    const key = text(tag as Json, 'key');
    const value = text(tag as Json, 'value');
    if (key === undefined || value === undefined || HIDDEN_TAGS.has(key) !== internal) continue;
    tags[key] = value;
  }
  return tags;
}

/**
 * Addresses from the static NAT `publicip` and every NIC. A NIC address is public or private by
 * its range, not by the network type: on shared networks and in basic zones (and on clouds such
 * as Exoscale) the NIC carries the VM's public address itself.
 */
function addressesOf(raw: Json): { publicIps: string[]; privateIps: string[] } {
  const publicIps: string[] = [];
  const privateIps: string[] = [];
  const add = (address: string | undefined): void => {
    if (!address || publicIps.includes(address) || privateIps.includes(address) || isIP(address) === 0)
      return;
    (isPrivateAddress(address) ? privateIps : publicIps).push(address);
  };
  add(text(raw, 'publicip'));
  const nics = raw.nic;
  if (Array.isArray(nics)) {
    for (const nic of nics) {
      if (typeof nic !== 'object' || nic === null) continue;
      add(text(nic as Json, 'ipaddress'));
      add(text(nic as Json, 'ip6address'));
    }
  }
  return { publicIps, privateIps };
}

/** RFC 1918, shared address space (RFC 6598), link-local, loopback, and IPv6 unique-local/link-local. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const first = address.indexOf('.');
    const a = Number(address.slice(0, first));
    const b = Number(address.slice(first + 1, address.indexOf('.', first + 1)));
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const lower = address.toLowerCase();
  return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/**
 * Finding VMs by id. listVirtualMachines resolves every id it is given and answers 431 when one of
 * them names nothing it ever knew, while an id of an expunged VM just lists nothing: the
 * connector uses that difference to tell "already terminated" from "never existed".
 */

/** Ids per listVirtualMachines request, to keep URLs short. */
const IDS_PER_REQUEST = 50;

export interface Resolved {
  /** The VMs CloudStack lists, by id. */
  readonly found: ReadonlyMap<string, Json>;
  /** Ids CloudStack knows but no longer lists: expunged (or destroyed, on clouds that hide those). */
  readonly gone: ReadonlySet<string>;
}

/** Every VM of the account. */
export async function listAllVms(client: CloudStackClient, options: RequestOptions): Promise<Json[]> {
  return (await client.list('listVirtualMachines', {}, 'virtualmachine', options)).items;
}

/** The listed VMs among `ids`; ids CloudStack does not list (or never knew) are left out. */
export async function findVms(
  client: CloudStackClient,
  ids: readonly string[],
  options: RequestOptions,
): Promise<Map<string, Json>> {
  return (await lookUp(client, ids, options)).found;
}

/**
 * The listed VMs among `ids` and those that are gone; NOT_FOUND when CloudStack never knew one of
 * them (or it belongs to another account), before anything is changed.
 */
export async function resolveVms(
  client: CloudStackClient,
  ids: readonly string[],
  options: RequestOptions,
): Promise<Resolved> {
  const { found, unresolved } = await lookUp(client, ids, options);
  const gone = new Set<string>();
  const unknown: string[] = [];
  for (const id of ids) {
    if (found.has(id)) continue;
    if (!unresolved.has(id)) {
      gone.add(id);
      continue;
    }
    // The batch was refused because of some id: ask for this one alone to learn which.
    try {
      const { value } = await client.request('listVirtualMachines', { id }, options);
      if (Array.isArray(value.virtualmachine) && value.virtualmachine.length > 0) {
        found.set(id, value.virtualmachine[0] as Json);
      } else {
        gone.add(id);
      }
    } catch (error) {
      if (!ConnectorError.hasCode(error, 'INVALID_REQUEST')) throw error;
      unknown.push(id);
    }
  }
  if (unknown.length > 0) {
    throw new ConnectorError(
      'NOT_FOUND',
      `CloudStack knows no VM ${unknown.join(', ')} for this account (it never existed, or belongs to another account).`,
    );
  }
  return { found, gone };
}

/**
 * One listVirtualMachines per chunk of ids. When CloudStack refuses a chunk (an id it cannot
 * resolve), the whole account is listed once and filtered instead, and that chunk's missing ids
 * are reported as unresolved.
 */
async function lookUp(
  client: CloudStackClient,
  ids: readonly string[],
  options: RequestOptions,
): Promise<{ found: Map<string, Json>; unresolved: Set<string> }> {
  const found = new Map<string, Json>();
  const unresolved = new Set<string>();
  let everything: Map<string, Json> | undefined;
  for (let start = 0; start < ids.length; start += IDS_PER_REQUEST) {
    const chunk = ids.slice(start, start + IDS_PER_REQUEST);
    try {
      const { items } = await client.list(
        'listVirtualMachines',
        { ids: chunk.join(',') },
        'virtualmachine',
        options,
      );
      for (const raw of items) {
        const id = text(raw, 'id');
        if (id !== undefined && chunk.includes(id)) found.set(id, raw);
      }
    } catch (error) {
      if (!ConnectorError.hasCode(error, 'INVALID_REQUEST')) throw error;
      everything ??= new Map(
        (await listAllVms(client, options)).flatMap((raw) => {
          const id = text(raw, 'id');
          return id === undefined ? [] : [[id, raw] as const];
        }),
      );
      for (const id of chunk) {
        const raw = everything.get(id);
        if (raw) found.set(id, raw);
        else unresolved.add(id);
      }
    }
  }
  return { found, unresolved };
}
