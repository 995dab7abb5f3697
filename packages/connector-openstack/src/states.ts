import type { VmState } from '@slipstream/connector-core';

/**
 * Nova server statuses (the `status` field, api-ref "Server status") and the normalized state each
 * means. Statuses of passing operations (rebooting, resizing, migrating, rescued) map to unknown,
 * as the README's state table has it: the server is neither plainly running nor stopped.
 */
export const NOVA_STATUSES = [
  'BUILD',
  'ACTIVE',
  'SHUTOFF',
  'SUSPENDED',
  'PAUSED',
  'SHELVED',
  'SHELVED_OFFLOADED',
  'ERROR',
  'DELETED',
  'SOFT_DELETED',
  'REBOOT',
  'HARD_REBOOT',
  'REBUILD',
  'RESIZE',
  'VERIFY_RESIZE',
  'REVERT_RESIZE',
  'MIGRATING',
  'RESCUE',
  'PASSWORD',
  'UNKNOWN',
] as const;

export type NovaStatus = (typeof NOVA_STATUSES)[number];

/** Typed over the statuses, so that adding one without mapping it does not compile. */
export const NOVA_STATUS_STATES: Readonly<Record<NovaStatus, VmState>> = Object.freeze({
  BUILD: 'pending',
  ACTIVE: 'running',
  SHUTOFF: 'stopped',
  SUSPENDED: 'stopped',
  PAUSED: 'stopped',
  SHELVED: 'stopped',
  SHELVED_OFFLOADED: 'stopped',
  ERROR: 'error',
  DELETED: 'terminated',
  SOFT_DELETED: 'terminated',
  REBOOT: 'unknown',
  HARD_REBOOT: 'unknown',
  REBUILD: 'unknown',
  RESIZE: 'unknown',
  VERIFY_RESIZE: 'unknown',
  REVERT_RESIZE: 'unknown',
  MIGRATING: 'unknown',
  RESCUE: 'unknown',
  PASSWORD: 'unknown',
  UNKNOWN: 'unknown',
});

/**
 * Task states (`OS-EXT-STS:task_state`) that decide the state whatever the status says: Nova keeps
 * a server ACTIVE while it powers off or is deleted, and only the task state tells.
 */
export const NOVA_TASK_STATE_STATES: Readonly<Record<'deleting' | 'powering-off', VmState>> = Object.freeze({
  deleting: 'terminating',
  'powering-off': 'stopping',
});

/**
 * The connector's state table (the definition's `states`): statuses in capitals, the deciding
 * task states in lowercase, as Nova writes them.
 */
export const OPENSTACK_STATES: Readonly<Record<string, VmState>> = Object.freeze({
  ...NOVA_STATUS_STATES,
  ...NOVA_TASK_STATE_STATES,
});

/**
 * A server's normalized state and its raw state. The raw state is the status, or
 * `status/task_state` when the task state decided (`ACTIVE/powering-off`).
 */
export function serverState(
  status: unknown,
  taskState: unknown,
): { readonly state: VmState; readonly rawState: string } {
  const raw = typeof status === 'string' ? status : '';
  if (typeof taskState === 'string' && Object.hasOwn(NOVA_TASK_STATE_STATES, taskState)) {
    const state = NOVA_TASK_STATE_STATES[taskState as keyof typeof NOVA_TASK_STATE_STATES];
    return { state, rawState: raw === '' ? taskState : `${raw}/${taskState}` };
  }
  const key = raw.toUpperCase();
  const state = Object.hasOwn(NOVA_STATUS_STATES, key) ? NOVA_STATUS_STATES[key as NovaStatus] : 'unknown';
  return { state, rawState: raw };
}
