/** The VM service: sessions per user and instance, launches with records, listing, actions, reconciliation. */

export { actOnVm, findOwnedRecord, type VmAction } from './actions.js';
export type { Actor, VmContext } from './context.js';
export { type LaunchInput, type LaunchResult, launchVms } from './launch.js';
export { type ListError, listVms, type VmList } from './list.js';
export { assertQuota, vmQuota } from './quota.js';
export { type ReconcileReport, reconcile } from './reconcile.js';
export { type VmView, vmKey } from './records.js';
export { SessionCache } from './sessions.js';
