import {
  AddressSorter,
  ConnectorError,
  type InstanceTypeSpec,
  readVms,
  type Vm,
  type WireReader,
} from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { readFault } from './errors.js';
import { fiqlValue, queryAll } from './query.js';
import { toVmState, VCLOUD_STATUS_CODES } from './states.js';
import { children, documentOf, idOfHref, isElement, tasksOf, text, type XmlElement } from './wire.js';

/**
 * VMs. Each VM this connector launches is the one VM of a vApp, and the vApp's id (`vapp-<uuid>`)
 * is the VM's id: it is what power actions, undeploy and delete address. `describe()` is one
 * `type=vm` query over the VDC, page by page; `describe({ ids })` reads each vApp. VM records
 * carry `ipAddress` from API 38.0 on; at an older `api.version` the addresses are only in the VMs'
 * NetworkConnectionSection, so `describe()` then reads each listed VM's vApp document for them.
 */

/** A vApp id as vCloud writes it. */
const VAPP_ID = /^vapp-[0-9a-f-]{36}$/i;

export function isVAppId(id: string): boolean {
  return VAPP_ID.test(id);
}

const RUNNING_TASK = new Set(['queued', 'preRunning', 'running']);

/** vApp documents read at once for the addresses that records older than API 38.0 lack. */
const ADDRESS_READS = 8;

/** Whether an API version's VM records carry `ipAddress` (38.0, vCloud Director 10.5, added it). */
export function recordsCarryAddresses(apiVersion: string): boolean {
  return Number(apiVersion) >= 38;
}

function sizeOf(
  types: readonly InstanceTypeSpec[],
  cpus: number | undefined,
  memory: number | undefined,
): string | undefined {
  for (const type of types) if (type.cpus === cpus && type.memoryMb === memory) return type.name;
  return undefined;
}

const sorter = new AddressSorter();

/**
 * A VM's addresses, public or private by their range, each once; text that is not an IP address
 * is left out. Through core's sorter: one check per address, and lists of their exact length.
 */
function addresses(ips: readonly unknown[]): Pick<Vm, 'publicIps' | 'privateIps'> {
  sorter.start();
  for (const ip of ips) sorter.add(ip);
  return { publicIps: sorter.publicIps(), privateIps: sorter.privateIps() };
}

/**
 * The contract's VM from a query's `<VMRecord>` (its attributes). Attributes are text, so each is
 * read straight off the record when it is, the case of every record vCloud writes, and through the
 * reader otherwise, which notes it: a listing maps thousands of records, and a generic reader's
 * lookups by computed name cost more than the mapping itself. The reader's order is kept, so the
 * noted fields come out in the same order either way.
 */
export function readVmRecord(wire: WireReader, types: readonly InstanceTypeSpec[]): Vm {
  const raw = wire.raw;
  const status = (typeof raw.status === 'string' ? raw.status : wire.string('status')) ?? '';
  const container = typeof raw.container === 'string' ? raw.container : wire.string('container');
  const containerName =
    typeof raw.containerName === 'string' ? raw.containerName : wire.string('containerName');
  const name = containerName ?? (typeof raw.name === 'string' ? raw.name : wire.string('name'));
  const busy = raw.isBusy === 'true' ? true : raw.isBusy === 'false' ? false : wire.boolean('isBusy');
  const ipAddress = typeof raw.ipAddress === 'string' ? raw.ipAddress : wire.string('ipAddress');
  const cpus = numberOf(wire, raw.numberOfCpus, 'numberOfCpus');
  const memory = numberOf(wire, raw.memoryMB, 'memoryMB');
  const createdAt = typeof raw.dateCreated === 'string' ? raw.dateCreated : wire.string('dateCreated');
  // Its one address through the sorter directly: addresses() would build an array per record.
  sorter.start();
  sorter.add(ipAddress);
  return {
    id: idOfHref(container) ?? '',
    name: name ?? '',
    state: toVmState(status, busy === true),
    rawState: status,
    publicIps: sorter.publicIps(),
    privateIps: sorter.privateIps(),
    size: sizeOf(types, cpus, memory),
    createdAt,
    tags: {},
  };
}

/** A numeric attribute: its text read as a number, or through the reader when it is not one. */
function numberOf(wire: WireReader, value: unknown, key: string): number | undefined {
  if (typeof value === 'string' && value !== '') {
    const number = Number(value);
    if (Number.isFinite(number)) return number;
  }
  return wire.number(key);
}

/** The contract's VM from a `<VApp>` document and its one VM. */
export function readVApp(vapp: XmlElement, types: readonly InstanceTypeSpec[]): Vm {
  const code = Number(text(vapp, 'status'));
  const status = VCLOUD_STATUS_CODES[code] ?? `STATUS_${text(vapp, 'status') ?? '?'}`;
  const busy = tasksOf(vapp).some((task) => RUNNING_TASK.has(text(task, 'status') ?? ''));
  const vm = children(children(vapp, 'Children')[0], 'Vm')[0];
  const connections = children(children(vm, 'NetworkConnectionSection')[0], 'NetworkConnection');
  const spec = children(vm, 'VmSpecSection')[0];
  const memory = children(spec, 'MemoryResourceMb')[0];
  return {
    id: idOfHref(text(vapp, 'href')) ?? '',
    name: text(vapp, 'name') ?? '',
    state: toVmState(status, busy),
    rawState: status,
    ...addresses(connections.flatMap((nic) => [text(nic, 'IpAddress'), text(nic, 'ExternalIpAddress')])),
    size: sizeOf(types, Number(text(spec, 'NumCpus')), Number(text(memory, 'Configured'))),
    createdAt: text(vapp, 'DateCreated'),
    tags: {},
  };
}

/** The VDC's href, for filters and instantiation: the `orgVdc` record named by `vdc`, once per session. */
export function vdcHref(context: SessionContext, signal: AbortSignal | undefined): Promise<string> {
  context.vdcHref ??= findVdc(context, signal).catch((error: unknown) => {
    context.vdcHref = undefined;
    throw error;
  });
  return context.vdcHref;
}

/**
 * The VDC's href from the query service, filtered by its name (`filter=(name==…)`); when none has
 * it, a second, unfiltered query names the VDCs the user may see.
 */
async function findVdc(context: SessionContext, signal: AbortSignal | undefined): Promise<string> {
  const { vdc } = context.settings;
  const query = { type: 'orgVdc', record: 'OrgVdcRecord' };
  const named = await queryAll(context, { ...query, filter: [`(name==${fiqlValue(vdc)})`] }, signal);
  const href = text(
    named.find((record) => record.name === vdc),
    'href',
  );
  if (href === undefined) {
    const records = await queryAll(context, query, signal);
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "vdc" is "${vdc}", which is not a virtual datacenter of organization ${context.settings.org} this user may see; use one of: ${records.map((record) => String(record.name)).join(', ') || 'none'}.`,
    );
  }
  return href;
}

/** Every VM of the VDC (not the VMs inside vApp templates), as query records. */
export async function vmRecords(
  context: SessionContext,
  signal: AbortSignal | undefined,
): Promise<XmlElement[]> {
  const vdc = await vdcHref(context, signal);
  return queryAll(
    context,
    { type: 'vm', record: 'VMRecord', filter: ['isVAppTemplate==false', `vdc==${vdc}`] },
    signal,
  );
}

/**
 * A vApp document; undefined when vCloud does not know it. vCloud answers an id it never had, or
 * one of a vApp deleted, with 403 ACCESS_TO_RESOURCE_IS_FORBIDDEN "… does not exist" (404 from
 * some paths): both are absence, where another 403 is a right the user lacks.
 */
export async function getVApp(
  context: SessionContext,
  id: string,
  signal: AbortSignal | undefined,
): Promise<XmlElement | undefined> {
  if (!isVAppId(id)) return undefined;
  const response = await context.client.call({
    operation: 'get vApp',
    method: 'GET',
    url: `/api/vApp/${encodeURIComponent(id)}`,
    signal,
    acceptStatus: [403, 404],
  });
  if (response.status === 404) return undefined;
  if (response.status === 403) {
    if (/does not exist/i.test(readFault(response.body).message ?? '')) return undefined;
    throw context.client.errorOf('get vApp', response);
  }
  return documentOf(response.body, 'VApp', 'get vApp');
}

export async function describeVms(
  context: SessionContext,
  ids: readonly string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const { settings, logger } = context;
  if (ids === undefined) {
    const records = await vmRecords(context, signal);
    const vms = readVms(records, (wire) => readVmRecord(wire, settings.instanceTypes), {
      logger,
      what: 'vCloud query vm',
    });
    return recordsCarryAddresses(settings.apiVersion) ? vms : withDocumentAddresses(context, vms, signal);
  }
  const vapps = await Promise.all([...new Set(ids)].map((id) => getVApp(context, id, signal)));
  return readVms(
    vapps.filter(isElement),
    (wire) => readVApp(wire.raw as XmlElement, settings.instanceTypes),
    { logger, what: 'vCloud get vApp' },
  );
}

/**
 * The VMs with the addresses of their vApp documents' NetworkConnectionSection, for API versions
 * whose records have none; a vApp gone since the query keeps what its record said.
 */
async function withDocumentAddresses(
  context: SessionContext,
  vms: readonly Vm[],
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const result = [...vms];
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < result.length) {
      const index = next;
      next += 1;
      const vm = result[index] as Vm;
      let vapp: XmlElement | undefined;
      try {
        vapp = await getVApp(context, vm.id, signal);
      } catch (error) {
        // The others stop taking VMs: the call fails with this error.
        failed = true;
        throw error;
      }
      if (vapp === undefined) continue;
      const { publicIps, privateIps } = readVApp(vapp, context.settings.instanceTypes);
      result[index] = { ...vm, publicIps, privateIps };
    }
  };
  await Promise.all(Array.from({ length: Math.min(ADDRESS_READS, result.length) }, worker));
  return result;
}
