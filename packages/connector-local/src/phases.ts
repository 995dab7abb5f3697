import type { LocalNativeState } from './states.js';

/**
 * How a VM's native state follows from the last operation applied to it and the clock. Nothing
 * here is stored or scheduled: the model records *what* happened and *when*, and the state at any
 * moment is computed on demand. That is why the local cloud needs no timers.
 */

/** Operations that change a VM's state; `fail` is fault injection, not a contract operation. */
export type Operation = 'launch' | 'start' | 'stop' | 'terminate' | 'fail';

/** The last operation applied to a VM and the clock time it was applied at. */
export interface Phase {
  readonly operation: Operation;
  readonly since: number;
}

/** Transition times in milliseconds, from the instance parameters. */
export interface Delays {
  /** `PROVISIONING`/`BOOTING` → `RUNNING`. */
  readonly bootMs: number;
  /** `HALTING` → `HALTED` and `DELETING` → `DELETED`. */
  readonly haltMs: number;
}

interface Transition {
  /** The state while the operation is under way. */
  readonly during: LocalNativeState;
  /** The state once it has completed. */
  readonly after: LocalNativeState;
  readonly duration: (delays: Delays) => number;
}

const TRANSITIONS: Readonly<Record<Operation, Transition>> = {
  // A first boot provisions the disk; a restart only boots. Both are pending to SlipStream.
  launch: { during: 'PROVISIONING', after: 'RUNNING', duration: (delays) => delays.bootMs },
  start: { during: 'BOOTING', after: 'RUNNING', duration: (delays) => delays.bootMs },
  stop: { during: 'HALTING', after: 'HALTED', duration: (delays) => delays.haltMs },
  terminate: { during: 'DELETING', after: 'DELETED', duration: (delays) => delays.haltMs },
  fail: { during: 'FAILED', after: 'FAILED', duration: () => 0 },
};

/** The clock time at which the phase's operation completes. */
export function completesAt(phase: Phase, delays: Delays): number {
  return phase.since + TRANSITIONS[phase.operation].duration(delays);
}

/** The native state at `now`: the operation's end state from the moment it completes, inclusive. */
export function nativeStateAt(phase: Phase, now: number, delays: Delays): LocalNativeState {
  const transition = TRANSITIONS[phase.operation];
  return now >= completesAt(phase, delays) ? transition.after : transition.during;
}
