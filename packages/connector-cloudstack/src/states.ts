import type { VmState } from '@slipstream/connector-core';

/**
 * The VM states CloudStack reports (VirtualMachine.State as listVirtualMachines shows it to users)
 * and the normalized state each one means. A VM CloudStack no longer lists has been expunged:
 * core's `waitFor` and the testkit treat a VM missing from `describe` as terminated, so there is
 * no native state for it.
 */
export const CLOUDSTACK_NATIVE_STATES = [
  'Starting',
  'Running',
  'Migrating',
  'Stopping',
  'Stopped',
  'Destroyed',
  'Expunging',
  'Error',
  'Unknown',
  'Shutdown',
] as const;

export type CloudStackNativeState = (typeof CLOUDSTACK_NATIVE_STATES)[number];

/** Typed over the native states, so that adding one without mapping it does not compile. */
export const CLOUDSTACK_STATES: Readonly<Record<CloudStackNativeState, VmState>> = Object.freeze({
  Starting: 'pending',
  Running: 'running',
  // A live migration moves a running VM between hosts without stopping it.
  Migrating: 'running',
  Stopping: 'stopping',
  Stopped: 'stopped',
  // Destroyed is recoverable until expunged; either way the VM is on its way out.
  Destroyed: 'terminating',
  Expunging: 'terminating',
  Error: 'error',
  Unknown: 'unknown',
  Shutdown: 'unknown',
});
