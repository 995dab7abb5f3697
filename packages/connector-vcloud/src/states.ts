import { mapState, type StateTable } from '@slipstream/connector-core';

/**
 * vCloud Director's VM states. Query records give a VM's status as a name (POWERED_ON); vApp and
 * VM documents give it as a number, named here after the vCloud API's status codes. A VM with a
 * task still running is pending whatever its status says (a power-on in progress).
 */

/** The vCloud API's status codes (VApp and Vm `status` attributes), by number. */
export const VCLOUD_STATUS_CODES: Readonly<Record<number, string>> = Object.freeze({
  [-1]: 'FAILED_CREATION',
  0: 'UNRESOLVED',
  1: 'RESOLVED',
  2: 'DEPLOYED',
  3: 'SUSPENDED',
  4: 'POWERED_ON',
  5: 'WAITING_FOR_INPUT',
  6: 'UNKNOWN',
  7: 'UNRECOGNIZED',
  8: 'POWERED_OFF',
  9: 'INCONSISTENT_STATE',
  10: 'MIXED',
  11: 'DESCRIPTOR_PENDING',
  12: 'COPYING_CONTENTS',
  13: 'DISK_CONTENTS_PENDING',
  14: 'QUARANTINED',
  15: 'QUARANTINE_EXPIRED',
  16: 'REJECTED',
  17: 'TRANSFER_TIMEOUT',
  18: 'VAPP_UNDEPLOYED',
  19: 'VAPP_PARTIALLY_DEPLOYED',
  20: 'PARTIALLY_POWERED_OFF',
  21: 'PARTIALLY_SUSPENDED',
});

/** Native status name → SlipStream state; names not listed (UNKNOWN, MIXED…) are `unknown`. */
export const VCLOUD_STATES: StateTable = Object.freeze({
  POWERED_ON: 'running',
  POWERED_OFF: 'stopped',
  SUSPENDED: 'stopped',
  // Created, never powered on.
  RESOLVED: 'stopped',
  // Still being created (its files copied, its descriptor written).
  UNRESOLVED: 'pending',
  DESCRIPTOR_PENDING: 'pending',
  COPYING_CONTENTS: 'pending',
  DISK_CONTENTS_PENDING: 'pending',
  WAITING_FOR_INPUT: 'pending',
  FAILED_CREATION: 'error',
  // The VM's vApp is gone: what this connector reports for a VM it removed.
  DELETED: 'terminated',
});

/** The state of a status name, and `pending` while a task runs on the VM. */
export function toVmState(status: string, busy: boolean) {
  const state = mapState(VCLOUD_STATES, status);
  return busy && state !== 'error' ? 'pending' : state;
}
