import type { VmState } from '@slipstream/connector-core';

/** Exoscale API v2 instance states: the `instance-state` enum of the API specification. */
export const EXOSCALE_NATIVE_STATES = [
  'starting',
  'running',
  'migrating',
  'stopping',
  'stopped',
  'destroying',
  'expunging',
  'destroyed',
  'error',
] as const;

export type ExoscaleNativeState = (typeof EXOSCALE_NATIVE_STATES)[number];

/**
 * Native → normalized states (DESIGN.md §3), read through core's `mapState`. A live migration
 * keeps the instance running; an instance Exoscale no longer knows (404) is terminated, which
 * `describe` expresses by leaving it out. Typed over the native states so that a state added to
 * the list without a mapping is a compile error.
 */
export const EXOSCALE_STATES: Readonly<Record<ExoscaleNativeState, VmState>> = Object.freeze({
  starting: 'pending',
  running: 'running',
  migrating: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  destroying: 'terminating',
  expunging: 'terminating',
  destroyed: 'terminated',
  error: 'error',
});
