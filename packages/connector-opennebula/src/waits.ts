import { ConnectorError, poll, type Vm, type VmState } from '@slipstream/connector-core';
import { type SessionContext, waitOptions } from './context.js';
import { getVm } from './vm.js';

/**
 * Waiting on OpenNebula's own work. Actions are accepted at once and carried out by oned's life
 * cycle manager over time; some are refused while a VM passes through a state (poweroff while it
 * boots, resume while it powers off), so stop and start wait for the VM to leave such a state.
 */

/** The VM once its state is none of `passing`, through core's poll. */
export async function waitWhile(
  context: SessionContext,
  id: number,
  passing: readonly VmState[],
  signal: AbortSignal | undefined,
): Promise<Vm> {
  return poll({ ...waitOptions(context, signal), what: `OpenNebula VM ${id}` }, async () => {
    const vm = await getVm(context, id, signal);
    if (vm === undefined) {
      throw new ConnectorError('NOT_FOUND', `OpenNebula VM ${id} disappeared while it was waited for.`);
    }
    return passing.includes(vm.state) ? undefined : vm;
  });
}
