import {
  ConnectorError,
  isPrivateAddress,
  readVms,
  type Vm,
  type WireReader,
} from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import type { OpenNebulaSettings } from './parameters.js';
import { nativeState, toVmState } from './states.js';
import { objectOf, poolItems } from './wire.js';

/**
 * VMs: the user's pool read page by page, one VM by id, and OpenNebula's VM as the contract's.
 * `one.vmpool.info` answers the short VM form (NICs with their addresses; no CONTEXT, no
 * TEMPLATE_ID, little of the user template); `one.vm.info` the full one.
 */

/** The largest page asked of one.vmpool.info. */
export const PAGE_SIZE = 500;

/** Pool filters (the `filter` argument of every pool's info). */
export const FILTER = Object.freeze({ mine: -3, all: -2 });
/** The vm pool's `state` argument: every VM but DONE ones. */
const NOT_DONE = -1;

/** A VM id as oned writes it; anything else names no VM. */
export function vmNumber(id: string): number | undefined {
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

/** What reading a VM needs of the settings: the sizes, recognised by VCPU and MEMORY. */
type VmReading = Pick<OpenNebulaSettings, 'instanceTypes' | 'cpuRatio'>;

/**
 * How a pool is read: `one.vmpool.info` answers oned's short VM form, whose USER_TEMPLATE keeps
 * only what Sunstone and the scheduler need (LABELS, SCHED_*); `one.vmpool.infoextended` answers
 * full bodies, user template included, for a launch looking for its own VMs.
 */
export type PoolMethod = 'one.vmpool.info' | 'one.vmpool.infoextended';

const idOf = (item: unknown): number | undefined => {
  const id = (item as { ID?: unknown } | null)?.ID;
  return typeof id === 'string' ? vmNumber(id) : undefined;
};

async function vmPool(
  context: SessionContext,
  method: PoolMethod,
  start: number,
  end: number,
  signal: AbortSignal | undefined,
): Promise<unknown[]> {
  const document = await context.client.document(method, [FILTER.mine, start, end, NOT_DONE], { signal });
  return poolItems(document, 'VM_POOL', 'VM', method);
}

/**
 * Every VM of the user but DONE ones, as `method` lists them, newest first. Pages are
 * asked by offset and size; each page after the first starts one VM early, at the last VM of the
 * page before. Should VMs have been created meanwhile, that VM is further down (the ones before
 * it are dropped as seen already); should VMs have ended meanwhile, it is gone and the ones
 * between are asked by id range, so that none is skipped.
 */
export async function listVmItems(
  context: SessionContext,
  signal: AbortSignal | undefined,
  method: PoolMethod = 'one.vmpool.info',
): Promise<unknown[]> {
  const size = context.pageSize;
  const items: unknown[] = [];
  const seen = new Set<number>();
  const add = (item: unknown): void => {
    const id = idOf(item);
    if (id !== undefined && seen.has(id)) return;
    if (id !== undefined) seen.add(id);
    items.push(item);
  };
  let offset = 0;
  let last: number | undefined;
  for (;;) {
    const overlap = last === undefined ? 0 : 1;
    const page = await vmPool(context, method, offset - overlap, -(size + overlap), signal);
    const first = idOf(page[0]);
    if (last !== undefined && first !== undefined && first < last - 1) {
      for (const item of await vmPool(context, method, first + 1, last - 1, signal)) add(item);
    }
    for (const item of page) add(item);
    if (page.length < size + overlap) return items;
    offset += size;
    last = idOf(page[page.length - 1]);
  }
}

/** One VM in full (`one.vm.info`); undefined when oned does not know the id. */
export async function vmItem(
  context: SessionContext,
  id: number,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  try {
    const document = await context.client.document('one.vm.info', [id], { signal });
    return objectOf(document, 'VM', 'one.vm.info');
  } catch (error) {
    if (ConnectorError.is(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** The contract's VM from OpenNebula's, short or full form. */
export function readVm(wire: WireReader, settings: VmReading, zone: string | undefined): Vm {
  const state = wire.number('STATE');
  const native = state === undefined ? '' : nativeState(state, wire.number('LCM_STATE'));
  const template = wire.object('TEMPLATE');
  const addresses = (template?.list('NIC') ?? []).flatMap((nic) => {
    const ip = (nic as { IP?: unknown } | null)?.IP;
    return typeof ip === 'string' && ip !== '' ? [ip] : [];
  });
  // The short form of some oned versions leaves VCPU out; this connector's VMs have CPU = VCPU × ratio.
  const cpu = template?.number('CPU');
  const vcpu =
    template?.number('VCPU') ?? (cpu === undefined ? undefined : Math.round(cpu / settings.cpuRatio));
  const memory = template?.number('MEMORY');
  const stime = wire.number('STIME');
  return {
    id: wire.id('ID') ?? '',
    name: wire.string('NAME') ?? '',
    state: state === undefined ? 'unknown' : toVmState(native),
    rawState: native,
    publicIps: addresses.filter((ip) => !isPrivateAddress(ip)),
    privateIps: addresses.filter((ip) => isPrivateAddress(ip)),
    image: template?.id('TEMPLATE_ID'),
    size: settings.instanceTypes.find((type) => type.cpus === vcpu && type.memoryMb === memory)?.name,
    zone,
    createdAt: stime === undefined || stime <= 0 ? undefined : new Date(stime * 1000).toISOString(),
    tags: {},
  };
}

export function toVms(context: SessionContext, items: readonly unknown[], what: string): Vm[] {
  const { settings, zone, logger } = context;
  return readVms(items, (wire) => readVm(wire, settings, zone?.id), {
    logger,
    what: `OpenNebula ${what}`,
  });
}

/** One VM as the contract's; undefined when oned does not know the id. */
export async function getVm(
  context: SessionContext,
  id: number,
  signal: AbortSignal | undefined,
): Promise<Vm | undefined> {
  const item = await vmItem(context, id, signal);
  return item === undefined ? undefined : toVms(context, [item], 'one.vm.info')[0];
}

/** The user's VMs, or those of `ids` that oned knows (DONE ones included, as terminated). */
export async function describeVms(
  context: SessionContext,
  ids: readonly string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  if (ids === undefined) return toVms(context, await listVmItems(context, signal), 'one.vmpool.info');
  const numbers = [...new Set(ids)].map(vmNumber).filter((id): id is number => id !== undefined);
  const items = await Promise.all(numbers.map((id) => vmItem(context, id, signal)));
  return toVms(
    context,
    items.filter((item) => item !== undefined),
    'one.vm.info',
  );
}
