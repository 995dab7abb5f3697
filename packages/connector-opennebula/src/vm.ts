import {
  ConnectorError,
  isPrivateAddress,
  readVms,
  type Vm,
  type WireReader,
} from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import type { OpenNebulaSettings } from './parameters.js';
import { listVmItems, vmNumber } from './pool.js';
import { nativeState, toVmState } from './states.js';
import { objectOf } from './wire.js';

/**
 * VMs: the user's pool read page by page, one VM by id, and OpenNebula's VM as the contract's.
 * `one.vmpool.info` answers the short VM form (NICs with their addresses; no CONTEXT, no
 * TEMPLATE_ID, little of the user template); `one.vm.info` the full one.
 */

/** The largest page asked of one.vmpool.info. */
export const PAGE_SIZE = 500;

// Paging the pool is pool.ts's; what other modules took from here stays reachable from here.
export { FILTER, listVmItems, type PoolMethod, vmNumber } from './pool.js';

/** What reading a VM needs of the settings: the sizes, recognised by VCPU and MEMORY. */
type VmReading = Pick<OpenNebulaSettings, 'instanceTypes' | 'cpuRatio'>;

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
