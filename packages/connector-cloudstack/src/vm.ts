import {
  AddressSorter,
  askTogether,
  ConnectorError,
  isLaunchTag,
  type LAUNCH_TAGS,
  type Logger,
  mapState,
  readId,
  readVms,
  type Tags,
  type Vm,
  WireReader,
} from '@slipstream/connector-core';
import type { CloudStackClient, Json, RequestOptions } from './client.js';
import { CLOUDSTACK_STATES } from './states.js';
import { isoTime } from './wire.js';

/**
 * CloudStack's VM (UserVmResponse) as the contract's VM, and the tags the connector keeps on VMs
 * for itself.
 */

/** The names of the launch tags: core's `LAUNCH_TAGS`, or an older spelling of them. */
export type LaunchTagNames = { readonly [role in keyof typeof LAUNCH_TAGS]: string };

/**
 * The launch tags as connector versions before core's shared spelling wrote them: VMs launched
 * then carry these, so that a retried launch still finds them, and the user does not see them.
 */
export const LEGACY_LAUNCH_TAGS: LaunchTagNames = Object.freeze({
  idempotencyKey: 'slipstream.idempotency-key',
  launchIndex: 'slipstream.launch-index',
});

const LEGACY_NAMES: ReadonlySet<string> = new Set(Object.values(LEGACY_LAUNCH_TAGS));

/** True for the name of a tag the connector keeps for itself, in either spelling. */
export function isConnectorTag(name: string): boolean {
  return isLaunchTag(name) || LEGACY_NAMES.has(name);
}

/**
 * The contract's VM from one listVirtualMachines item, read field by field: a field of another
 * shape than documented is noted on the reader, which shows the VM in state `unknown`.
 *
 * Each field is read straight off the parsed item when it has the documented type, the case of
 * nearly every VM, and through the reader otherwise, which notes it: a listing maps thousands of
 * VMs, and a generic reader's lookups by computed name cost more than the mapping itself. The
 * reader's order is kept, so that the noted fields come out in the same order either way.
 */
export function toVm(wire: WireReader): Vm {
  const raw = wire.raw;
  const state = (typeof raw.state === 'string' ? raw.state : wire.string('state')) ?? '';
  const id = idOf(wire, raw.id, 'id');
  // `displayname` is the name the user chose; `name` is the host name CloudStack may have made up.
  const displayName = typeof raw.displayname === 'string' ? raw.displayname : wire.string('displayname');
  const name = displayName || (typeof raw.name === 'string' ? raw.name : wire.string('name')) || '';
  sortAddresses(wire);
  const image = idOf(wire, raw.templateid, 'templateid');
  const size = idOf(wire, raw.serviceofferingid, 'serviceofferingid');
  const zone = idOf(wire, raw.zoneid, 'zoneid');
  const created = typeof raw.created === 'string' ? raw.created : wire.string('created');
  const tags = Array.isArray(raw.tags) ? raw.tags : wire.list('tags');
  return {
    id: id ?? '',
    name,
    state: mapState(CLOUDSTACK_STATES, state),
    rawState: state,
    publicIps: addresses.publicIps(),
    privateIps: addresses.privateIps(),
    image,
    size,
    zone,
    createdAt: isoTime(created),
    tags: tags.length === 0 ? {} : userTagsOf(readTags(tags)),
  };
}

/** An id field: a non-empty string as it is, anything else through the reader. */
function idOf(wire: WireReader, value: unknown, key: string): string | undefined {
  return typeof value === 'string' && value !== '' ? value : wire.id(key);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The VMs of listVirtualMachines items, in their order. An item with a field that cannot be read
 * is shown in state `unknown` and one without a readable id is left out, each listing logging one
 * warning that names the fields.
 */
export function toVms(items: readonly unknown[], logger: Logger): Vm[] {
  return readVms(items, toVm, { logger, what: 'CloudStack listVirtualMachines' });
}

/** Every tag of a listVirtualMachines item, the connector's own included. */
export function tagsOf(raw: unknown): Record<string, string> {
  return readTags(new WireReader(raw).list('tags'));
}

/** The tags a user sees: without those the connector keeps for itself. */
function userTagsOf(tags: Readonly<Record<string, string>>): Tags {
  const result: Record<string, string> = {};
  for (const name of Object.keys(tags)) {
    if (!isConnectorTag(name)) result[name] = tags[name] as string;
  }
  return result;
}

/** CloudStack's `[{key, value, resourcetype, ...}]` as a record; entries without a key or value are skipped. */
function readTags(list: readonly unknown[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of list) {
    if (isRecord(tag) && typeof tag.key === 'string' && typeof tag.value === 'string')
      tags[tag.key] = tag.value;
  }
  return tags;
}

const addresses = new AddressSorter();

/**
 * Sorts the VM's addresses: the static NAT `publicip` and every NIC's. A NIC address is public or
 * private by its range, not by the network type: on shared networks and in basic zones (and on
 * clouds such as Exoscale) the NIC carries the VM's public address itself.
 */
function sortAddresses(wire: WireReader): void {
  addresses.start();
  const { raw } = wire;
  addresses.add(typeof raw.publicip === 'string' ? raw.publicip : wire.string('publicip'));
  for (const nic of Array.isArray(raw.nic) ? raw.nic : wire.list('nic')) {
    // A NIC's odd fields are skipped, not noted: the VM's other addresses still count.
    if (!isRecord(nic)) continue;
    addresses.add(nic.ipaddress);
    addresses.add(nic.ip6address);
  }
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
async function listAllVms(client: CloudStackClient, options: RequestOptions): Promise<Json[]> {
  return (await client.list('listVirtualMachines', {}, 'virtualmachine', options)).items;
}

/**
 * The VMs of `ids`, in their order, leaving out the ids CloudStack does not list; every VM of the
 * account when `ids` is undefined.
 */
export async function describeVms(
  client: CloudStackClient,
  ids: readonly string[] | undefined,
  logger: Logger,
  options: RequestOptions,
): Promise<Vm[]> {
  if (ids === undefined) return toVms(await listAllVms(client, options), logger);
  const found = await findVms(client, ids, options);
  return toVms(
    ids.flatMap((id) => found.get(id) ?? []),
    logger,
  );
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
 * One listVirtualMachines per chunk of ids, the chunks asked together within `max.iaas.workers`
 * (the server's listing asks for hundreds of ids at once). When CloudStack refuses a chunk (an id
 * it cannot resolve), the whole account is listed once and filtered instead, and that chunk's
 * missing ids are reported as unresolved.
 */
async function lookUp(
  client: CloudStackClient,
  ids: readonly string[],
  options: RequestOptions,
): Promise<{ found: Map<string, Json>; unresolved: Set<string> }> {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_REQUEST) {
    chunks.push(ids.slice(start, start + IDS_PER_REQUEST));
  }
  const answers = await askTogether(chunks.length, client.workers, options.signal, async (index, signal) => {
    const chunk = chunks[index] as string[];
    try {
      const listing = await client.list('listVirtualMachines', { ids: chunk.join(',') }, 'virtualmachine', {
        ...options,
        signal,
      });
      return listing.items;
    } catch (error) {
      if (!ConnectorError.hasCode(error, 'INVALID_REQUEST')) throw error;
      return undefined; // refused: looked up in the whole account below
    }
  });
  const found = new Map<string, Json>();
  const unresolved = new Set<string>();
  let everything: Map<string, Json> | undefined;
  for (const [index, items] of answers.entries()) {
    const chunk = chunks[index] as string[];
    if (items) {
      const asked = new Set(chunk);
      for (const raw of items) {
        const id = readId(raw.id);
        if (id !== undefined && asked.has(id)) found.set(id, raw);
      }
      continue;
    }
    everything ??= new Map(
      (await listAllVms(client, options)).flatMap((raw) => {
        const id = readId(raw.id);
        return id === undefined ? [] : [[id, raw] as const];
      }),
    );
    for (const id of chunk) {
      const raw = everything.get(id);
      if (raw) found.set(id, raw);
      else unresolved.add(id);
    }
  }
  return { found, unresolved };
}
