import type { VmState } from '@slipstream/connector-core';

/**
 * The local cloud's own state vocabulary. It is deliberately not the normalized one: every real
 * cloud has its own words, and the local cloud shows connector authors the mapping step they will
 * write for theirs.
 */
export const LOCAL_NATIVE_STATES = [
  'PROVISIONING',
  'BOOTING',
  'RUNNING',
  'HALTING',
  'HALTED',
  'DELETING',
  'DELETED',
  'FAILED',
] as const;

export type LocalNativeState = (typeof LOCAL_NATIVE_STATES)[number];

/**
 * Native → normalized states, read through core's `mapState` (which answers `unknown` for a state
 * missing here). Typed as a record over the native states so that adding a native state without
 * mapping it is a compile error.
 */
export const LOCAL_STATES: Readonly<Record<LocalNativeState, VmState>> = Object.freeze({
  PROVISIONING: 'pending',
  BOOTING: 'pending',
  RUNNING: 'running',
  HALTING: 'stopping',
  HALTED: 'stopped',
  DELETING: 'terminating',
  DELETED: 'terminated',
  FAILED: 'error',
});
