import type { Session, Vm } from './contract.js';
import { ConnectorError } from './errors.js';
import { checkIds } from './launch-request.js';
import { poll } from './poll.js';
import { isVmState, VM_STATES, type VmState } from './states.js';

export interface WaitOptions {
  /** Give up after this long; default 10 minutes. */
  readonly timeout?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** First pause between polls; default 1 s, growing by half each round up to `maxInterval`. */
  readonly interval?: number | undefined;
  /** Longest pause between polls; default 15 s. */
  readonly maxInterval?: number | undefined;
  /** Called after every poll with the VMs as last seen, for progress displays. */
  readonly onPoll?: ((vms: readonly Vm[]) => void) | undefined;
}

/** States from which a VM can no longer reach the target by waiting. */
const DEAD_ENDS: Readonly<Record<VmState, readonly VmState[]>> = {
  pending: ['terminated', 'terminating', 'error'],
  running: ['terminated', 'terminating', 'error'],
  stopping: ['terminated', 'terminating', 'error'],
  stopped: ['terminated', 'terminating', 'error'],
  terminating: [],
  terminated: [],
  error: [],
  unknown: [],
};

/**
 * Polls `describe` until every VM is in `state`, built once here so connectors never re-implement
 * it. One `describe` per round serves all the VMs. A VM missing from `describe` counts as
 * terminated (clouds forget deleted VMs). Fails fast with CLOUD_ERROR when a VM reaches a state
 * it cannot leave towards the target, TIMEOUT (naming the stragglers) when time runs out, and
 * ABORTED on the signal. Returns the VMs as last seen, in the order of `ids`.
 */
export async function waitFor(
  session: Pick<Session, 'describe'>,
  ids: readonly string[],
  state: VmState,
  options: WaitOptions = {},
): Promise<Vm[]> {
  const timeout = options.timeout ?? 10 * 60_000;
  if (!isVmState(state)) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `waitFor needs a normalized state (${VM_STATES.join(', ')}), got ${JSON.stringify(state)}.`,
    );
  }
  const wanted = checkIds(ids, 'waitFor');
  let waiting: Vm[] = [];
  return poll(
    {
      interval: options.interval ?? 1_000,
      maxInterval: options.maxInterval ?? 15_000,
      timeout,
      signal: options.signal,
      what: `Waiting for ${state}`,
      timeoutError: () =>
        new ConnectorError(
          'TIMEOUT',
          `Timed out after ${timeout} ms waiting for ${state}: ${waiting.map((vm) => `VM ${vm.id} is still ${vm.state}`).join('; ')}.`,
        ),
    },
    async () => {
      const seen = new Map(
        (await session.describe({ ids: wanted }, { signal: options.signal })).map((vm) => [vm.id, vm]),
      );
      const vms = wanted.map((id) => seen.get(id) ?? gone(id));
      options.onPoll?.(vms);
      const failed = vms.filter((vm) => vm.state !== state && DEAD_ENDS[state].includes(vm.state));
      if (failed.length > 0) {
        throw new ConnectorError(
          'CLOUD_ERROR',
          `Gave up waiting for ${state}: ${failed.map((vm) => `VM ${vm.id} is ${vm.state} (${vm.rawState || 'no cloud state'})`).join('; ')}.`,
        );
      }
      waiting = vms.filter((vm) => vm.state !== state);
      return waiting.length === 0 ? vms : undefined;
    },
  );
}

function gone(id: string): Vm {
  return { id, name: '', state: 'terminated', rawState: '', publicIps: [], privateIps: [], tags: {} };
}
