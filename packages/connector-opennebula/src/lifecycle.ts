import { ConnectorError, type Vm, type VmState } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { getVm, vmNumber } from './vm.js';
import { waitWhile } from './waits.js';

/**
 * terminate, stop and start over a batch of ids, through `one.vm.action`. Every id is looked up
 * first, so that an unknown one fails the batch before anything changes; a VM already where the
 * call would take it is left alone, so that repeating a call is harmless. The calls return once
 * oned has accepted the actions; describe shows the VMs on their way.
 */

async function lookUp(
  context: SessionContext,
  ids: readonly string[],
  what: string,
  signal: AbortSignal | undefined,
): Promise<Map<string, Vm>> {
  const found = new Map<string, Vm>();
  await Promise.all(
    ids.map(async (id) => {
      const number = vmNumber(id);
      const vm = number === undefined ? undefined : await getVm(context, number, signal);
      if (vm) found.set(id, vm);
    }),
  );
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    const malformed = unknown.some((id) => vmNumber(id) === undefined)
      ? ' (OpenNebula VM ids are numbers)'
      : '';
    throw new ConnectorError(
      'NOT_FOUND',
      `Cannot ${what}: OpenNebula has no VM ${unknown.join(', ')} for this user${malformed}; nothing was changed.`,
    );
  }
  return found;
}

/** What one call does to a VM, by the VM's state. */
interface Transition {
  /** The action oned is asked for. */
  readonly action: string;
  readonly verb: string;
  /** States in which the VM is already where the call takes it. */
  readonly done: readonly VmState[];
  /** States the VM may pass through while oned refuses the action: waited out, then asked again. */
  readonly passing: readonly VmState[];
  /** States from which the call cannot take it there. */
  readonly refused: readonly VmState[];
}

const TERMINATE: Transition = {
  action: 'terminate-hard',
  verb: 'terminate',
  done: ['terminated', 'terminating'],
  passing: ['pending', 'stopping'],
  refused: [],
};
const STOP: Transition = {
  action: 'poweroff',
  verb: 'stop',
  done: ['stopped', 'stopping'],
  passing: ['pending'],
  refused: ['terminated', 'terminating'],
};
const START: Transition = {
  action: 'resume',
  verb: 'start',
  done: ['running', 'pending'],
  passing: ['stopping'],
  refused: ['terminated', 'terminating'],
};

async function apply(
  context: SessionContext,
  ids: readonly string[],
  transition: Transition,
  signal: AbortSignal | undefined,
): Promise<void> {
  const found = await lookUp(context, ids, transition.verb, signal);
  const refused = [...found.values()].filter((vm) => transition.refused.includes(vm.state));
  if (refused.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Cannot ${transition.verb} ${refused.map((vm) => `VM ${vm.id} (${vm.rawState})`).join(', ')}: it is terminated or being terminated; nothing was changed.`,
    );
  }
  const results = await Promise.allSettled(
    [...found.values()]
      .filter((vm) => !transition.done.includes(vm.state))
      .map((vm) => act(context, Number(vm.id), transition, signal)),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Asks oned for the action. oned refuses it (ACTION) while the VM passes through a state: then the
 * VM is waited for and asked again, once. A refusal is also what a retried action whose first
 * answer was lost gets, the VM being on its way already: then there is nothing left to do.
 */
async function act(
  context: SessionContext,
  id: number,
  transition: Transition,
  signal: AbortSignal | undefined,
): Promise<void> {
  const send = () => context.client.id('one.vm.action', [transition.action, id], { signal });
  try {
    await send();
  } catch (error) {
    if (!ConnectorError.is(error) || error.code !== 'INVALID_REQUEST') throw error;
    let now = await getVm(context, id, signal);
    if (now === undefined) throw error;
    if (transition.passing.includes(now.state))
      now = await waitWhile(context, id, transition.passing, signal);
    // Otherwise the VM may have moved on since oned refused: oned decides again.
    if (!transition.done.includes(now.state)) await send();
  }
}

export function terminate(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return apply(context, ids, TERMINATE, signal);
}

export function stop(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return apply(context, ids, STOP, signal);
}

export function start(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return apply(context, ids, START, signal);
}
