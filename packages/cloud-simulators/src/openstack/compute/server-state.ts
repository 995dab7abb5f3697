import type { ServerPhase, ServerRecord } from './records.js';

/**
 * A model phase in Nova's words: vm_state, task_state, power_state and the API status that
 * nova.api.openstack.common.status_from_state derives from the first two.
 */

export interface NovaState {
  readonly vmState: string;
  readonly taskState: string | null;
  /** nova.compute.power_state: 0 NOSTATE, 1 RUNNING, 4 SHUTDOWN. */
  readonly powerState: number;
  readonly status: string;
}

const NOSTATE = 0;
const RUNNING = 1;
const SHUTDOWN = 4;

export function novaState(phase: ServerPhase, record: ServerRecord): NovaState {
  const settled = settledState(phase, record);
  // A delete Nova has accepted shows as task_state deleting until the server is gone.
  if (record.lastAction === 'delete' && !['error', 'destroyed', 'deleted'].includes(phase)) {
    const vmState = record.vmStateAtDelete ?? settled.vmState;
    return { ...settled, vmState, taskState: 'deleting', status: statusOf(vmState) };
  }
  return settled;
}

function settledState(phase: ServerPhase, record: ServerRecord): NovaState {
  switch (phase) {
    case 'deleted':
      return state('deleted', null, NOSTATE);
    case 'starting':
      return record.lastAction === 'start'
        ? state('stopped', 'powering-on', SHUTDOWN)
        : state('building', 'spawning', NOSTATE);
    case 'running':
      return state('active', null, RUNNING);
    case 'stopping':
      return state('active', 'powering-off', RUNNING);
    case 'stopped':
      return state('stopped', null, SHUTDOWN);
    case 'expunging':
      return state(record.vmStateAtDelete ?? 'active', 'deleting', RUNNING);
    case 'destroyed':
      // The model's recoverable destroy is Nova's soft delete.
      return state('soft-delete', null, SHUTDOWN);
    case 'error':
      return state('error', null, record.lastAction === 'create' ? NOSTATE : SHUTDOWN);
  }
}

function state(vmState: string, taskState: string | null, powerState: number): NovaState {
  return { vmState, taskState, powerState, status: statusOf(vmState) };
}

/** status_from_state for the task states the simulator uses (none of which changes the status). */
function statusOf(vmState: string): string {
  const statuses: Record<string, string> = {
    active: 'ACTIVE',
    building: 'BUILD',
    stopped: 'SHUTOFF',
    error: 'ERROR',
    'soft-delete': 'SOFT_DELETED',
    deleted: 'DELETED',
  };
  return statuses[vmState] ?? 'UNKNOWN';
}

/** The statuses the `status` filter accepts (Nova's _STATE_MAP values). */
export const KNOWN_STATUSES: ReadonlySet<string> = new Set([
  'ACTIVE',
  'BUILD',
  'DELETED',
  'ERROR',
  'HARD_REBOOT',
  'MIGRATING',
  'PASSWORD',
  'PAUSED',
  'REBOOT',
  'REBUILD',
  'RESCUE',
  'RESIZE',
  'REVERT_RESIZE',
  'SHELVED',
  'SHELVED_OFFLOADED',
  'SHUTOFF',
  'SOFT_DELETED',
  'SUSPENDED',
  'VERIFY_RESIZE',
]);
