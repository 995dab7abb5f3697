import type { VmState } from '@slipstream/connector-core';

/** EC2 instance states: `InstanceState.Name` of the API reference (codes 0, 16, 32, 48, 64, 80). */
export const AWS_NATIVE_STATES = [
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
] as const;

export type AwsNativeState = (typeof AWS_NATIVE_STATES)[number];

/**
 * Native → normalized states (DESIGN.md §3), read through core's `mapState`; a state EC2 adds later
 * reads as unknown. Typed over the native states so that one added without a mapping does not
 * compile.
 */
export const AWS_STATES: Readonly<Record<AwsNativeState, VmState>> = Object.freeze({
  pending: 'pending',
  running: 'running',
  'shutting-down': 'terminating',
  terminated: 'terminated',
  stopping: 'stopping',
  stopped: 'stopped',
});
