import { isIP } from 'node:net';
import { mapState, type Tags, type Vm } from '@slipstream/connector-core';
import type { Json } from './client.js';
import { CLOUDSTACK_STATES } from './states.js';
import { isoTime, text } from './values.js';

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
