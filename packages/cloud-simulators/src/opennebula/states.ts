import type { SimVm } from '../model/types.js';

/**
 * OpenNebula's VM states (VirtualMachine::VmState) and life-cycle states (LcmState, meaningful
 * while STATE is ACTIVE), and how a simulated VM moves through them.
 *
 * The model knows phases (starting, running, stopping, stopped, expunging, error); oned shows
 * finer steps, so each phase's time is split the way oned's life cycle goes:
 *
 * - a launch is PENDING, then ACTIVE/PROLOG, then ACTIVE/BOOT, a third of the boot delay each,
 *   then ACTIVE/RUNNING; a launch whose job fails ends in ACTIVE/BOOT_FAILURE;
 * - poweroff is ACTIVE/SHUTDOWN_POWEROFF for the halt delay, then POWEROFF; suspend
 *   SAVE_SUSPEND then SUSPENDED; stop SAVE_STOP and EPILOG_STOP then STOPPED; undeploy
 *   SHUTDOWN_UNDEPLOY and EPILOG_UNDEPLOY then UNDEPLOYED;
 * - resume is ACTIVE/BOOT_POWEROFF (BOOT_SUSPENDED) for the boot delay, or from STOPPED
 *   (UNDEPLOYED) PENDING, PROLOG_RESUME (PROLOG_UNDEPLOY), BOOT_STOPPED (BOOT_UNDEPLOY);
 * - terminate of a running VM is ACTIVE/SHUTDOWN then ACTIVE/EPILOG, half the halt delay each,
 *   then DONE; of a powered-off, suspended, stopped or undeployed one EPILOG then DONE; of one in
 *   a failure state CLEANUP_DELETE then DONE; of one not yet deployed (PENDING, HOLD) DONE at once.
 */

export const VM_STATE = Object.freeze({
  INIT: 0,
  PENDING: 1,
  HOLD: 2,
  ACTIVE: 3,
  STOPPED: 4,
  SUSPENDED: 5,
  DONE: 6,
  POWEROFF: 8,
  UNDEPLOYED: 9,
  CLONING: 10,
  CLONING_FAILURE: 11,
} as const);

export const LCM_STATE = Object.freeze({
  LCM_INIT: 0,
  PROLOG: 1,
  BOOT: 2,
  RUNNING: 3,
  SAVE_STOP: 5,
  SAVE_SUSPEND: 6,
  PROLOG_RESUME: 9,
  EPILOG_STOP: 10,
  EPILOG: 11,
  SHUTDOWN: 12,
  UNKNOWN: 16,
  SHUTDOWN_POWEROFF: 18,
  BOOT_POWEROFF: 20,
  BOOT_SUSPENDED: 21,
  BOOT_STOPPED: 22,
  CLEANUP_DELETE: 23,
  SHUTDOWN_UNDEPLOY: 29,
  EPILOG_UNDEPLOY: 30,
  PROLOG_UNDEPLOY: 31,
  BOOT_UNDEPLOY: 32,
  BOOT_FAILURE: 36,
  EPILOG_FAILURE: 40,
} as const);

/** The highest STATE number oned accepts as a vmpool.info state filter (CLONING_FAILURE). */
export const MAX_VM_STATE = VM_STATE.CLONING_FAILURE;

const VM_STATE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(VM_STATE).map(([name, value]) => [value, name]),
);

/** Every LcmState by number, for messages about states tests force (oned's lcm_state_to_str). */
const LCM_STATE_NAMES: readonly (string | undefined)[] = [
  'LCM_INIT',
  'PROLOG',
  'BOOT',
  'RUNNING',
  'MIGRATE',
  'SAVE_STOP',
  'SAVE_SUSPEND',
  'SAVE_MIGRATE',
  'PROLOG_MIGRATE',
  'PROLOG_RESUME',
  'EPILOG_STOP',
  'EPILOG',
  'SHUTDOWN',
  undefined,
  undefined,
  'CLEANUP_RESUBMIT',
  'UNKNOWN',
  'HOTPLUG',
  'SHUTDOWN_POWEROFF',
  'BOOT_UNKNOWN',
  'BOOT_POWEROFF',
  'BOOT_SUSPENDED',
  'BOOT_STOPPED',
  'CLEANUP_DELETE',
  'HOTPLUG_SNAPSHOT',
  'HOTPLUG_NIC',
  'HOTPLUG_SAVEAS',
  'HOTPLUG_SAVEAS_POWEROFF',
  'HOTPLUG_SAVEAS_SUSPENDED',
  'SHUTDOWN_UNDEPLOY',
  'EPILOG_UNDEPLOY',
  'PROLOG_UNDEPLOY',
  'BOOT_UNDEPLOY',
  'HOTPLUG_PROLOG_POWEROFF',
  'HOTPLUG_EPILOG_POWEROFF',
  'BOOT_MIGRATE',
  'BOOT_FAILURE',
  'BOOT_MIGRATE_FAILURE',
  'PROLOG_MIGRATE_FAILURE',
  'PROLOG_FAILURE',
  'EPILOG_FAILURE',
  'EPILOG_STOP_FAILURE',
  'EPILOG_UNDEPLOY_FAILURE',
  'PROLOG_MIGRATE_POWEROFF',
  'PROLOG_MIGRATE_POWEROFF_FAILURE',
  'PROLOG_MIGRATE_SUSPEND',
  'PROLOG_MIGRATE_SUSPEND_FAILURE',
  'BOOT_UNDEPLOY_FAILURE',
  'BOOT_STOPPED_FAILURE',
  'PROLOG_RESUME_FAILURE',
  'PROLOG_UNDEPLOY_FAILURE',
  'DISK_SNAPSHOT_POWEROFF',
  'DISK_SNAPSHOT_REVERT_POWEROFF',
  'DISK_SNAPSHOT_DELETE_POWEROFF',
  'DISK_SNAPSHOT_SUSPENDED',
  undefined,
  'DISK_SNAPSHOT_DELETE_SUSPENDED',
  'DISK_SNAPSHOT',
  undefined,
  'DISK_SNAPSHOT_DELETE',
  'PROLOG_MIGRATE_UNKNOWN',
  'PROLOG_MIGRATE_UNKNOWN_FAILURE',
  'DISK_RESIZE',
  'DISK_RESIZE_POWEROFF',
  'DISK_RESIZE_UNDEPLOYED',
  'HOTPLUG_NIC_POWEROFF',
  'HOTPLUG_RESIZE',
  'HOTPLUG_SAVEAS_UNDEPLOYED',
  'HOTPLUG_SAVEAS_STOPPED',
  'BACKUP',
  'BACKUP_POWEROFF',
  'RESTORE',
];

/** The failure LCM states terminate cleans up (CLEANUP_DELETE) rather than shuts down. */
export const FAILURE_LCM_STATES: ReadonlySet<number> = new Set([
  36, 37, 38, 39, 40, 41, 42, 44, 46, 47, 48, 49, 50, 61,
]);

export interface OneState {
  readonly state: number;
  readonly lcm: number;
}

/** How oned names a VM's state in messages: the LCM state while ACTIVE, the VM state otherwise. */
export function stateName({ state, lcm }: OneState): string {
  if (state === VM_STATE.ACTIVE) return LCM_STATE_NAMES[lcm] ?? String(lcm);
  return VM_STATE_NAMES[state] ?? String(state);
}

/**
 * Whether a pair is within oned's numbering (STATE 0–11, LCM_STATE 0–71), retired numbers
 * included (FAILED, 7, and the LCM states 13, 14, 55 and 58): a state table may still map them.
 */
export function isStateInRange({ state, lcm }: OneState): boolean {
  const within = (value: number, max: number) => Number.isInteger(value) && value >= 0 && value <= max;
  return within(state, MAX_VM_STATE) && within(lcm, LCM_STATE_NAMES.length - 1);
}

const at = (state: number, lcm: number = LCM_STATE.LCM_INIT): OneState => ({ state, lcm });
const active = (lcm: number): OneState => at(VM_STATE.ACTIVE, lcm);

/** A time span (epoch ms), start included. */
export interface Span {
  readonly from: number;
  readonly until: number;
}

/** How a VM was powered down: what resume brings it back from. */
export type PowerKind = 'poweroff' | 'suspend' | 'stop' | 'undeploy';

/** How terminate ends it: at once (not deployed), shut down, epilog only, or cleaned up. */
export type TerminateKind = 'immediate' | 'shutdown' | 'epilog' | 'cleanup';

/** What the front-end remembers of a VM's life beyond the model's phase. */
export interface Life {
  /** The deploy (PENDING, PROLOG, BOOT); none for VMs seeded running. A release restarts it. */
  boot: Span | undefined;
  /** On hold: HOLD whatever the model does, until released. */
  held: boolean;
  /** The last power-down and its span: the model's stop, or the epilog of a VM already stopped. */
  power: (Span & { readonly kind: PowerKind }) | undefined;
  /** The last resume: the kind of power-down it comes back from. */
  restart: (Span & { readonly kind: PowerKind }) | undefined;
  terminate: (Span & { readonly kind: TerminateKind }) | undefined;
  /** A state a test forced (setVmState); shown until an action changes it. */
  forced: OneState | undefined;
}

export function newLife(boot: Span | undefined, held = false): Life {
  return { boot, held, power: undefined, restart: undefined, terminate: undefined, forced: undefined };
}

/** Which third of a span `now` is in: 0, 1 or 2. */
function third(span: Span, now: number): 0 | 1 | 2 {
  const length = span.until - span.from;
  if (length <= 0) return 2;
  const elapsed = (now - span.from) / length;
  return elapsed < 1 / 3 ? 0 : elapsed < 2 / 3 ? 1 : 2;
}

function firstHalf(span: Span, now: number): boolean {
  return now < span.from + (span.until - span.from) / 2;
}

const BOOT_STEPS: Readonly<Record<PowerKind, readonly [OneState, OneState, OneState]>> = {
  poweroff: [
    active(LCM_STATE.BOOT_POWEROFF),
    active(LCM_STATE.BOOT_POWEROFF),
    active(LCM_STATE.BOOT_POWEROFF),
  ],
  suspend: [
    active(LCM_STATE.BOOT_SUSPENDED),
    active(LCM_STATE.BOOT_SUSPENDED),
    active(LCM_STATE.BOOT_SUSPENDED),
  ],
  stop: [at(VM_STATE.PENDING), active(LCM_STATE.PROLOG_RESUME), active(LCM_STATE.BOOT_STOPPED)],
  undeploy: [at(VM_STATE.PENDING), active(LCM_STATE.PROLOG_UNDEPLOY), active(LCM_STATE.BOOT_UNDEPLOY)],
};

const DEPLOY_STEPS: readonly [OneState, OneState, OneState] = [
  at(VM_STATE.PENDING),
  active(LCM_STATE.PROLOG),
  active(LCM_STATE.BOOT),
];

const POWERED_OFF: Readonly<Record<PowerKind, OneState>> = {
  poweroff: at(VM_STATE.POWEROFF),
  suspend: at(VM_STATE.SUSPENDED),
  stop: at(VM_STATE.STOPPED),
  undeploy: at(VM_STATE.UNDEPLOYED),
};

function poweringDown(kind: PowerKind, span: Span, now: number): OneState {
  switch (kind) {
    case 'poweroff':
      return active(LCM_STATE.SHUTDOWN_POWEROFF);
    case 'suspend':
      return active(LCM_STATE.SAVE_SUSPEND);
    case 'stop':
      return active(firstHalf(span, now) ? LCM_STATE.SAVE_STOP : LCM_STATE.EPILOG_STOP);
    case 'undeploy':
      return active(firstHalf(span, now) ? LCM_STATE.SHUTDOWN_UNDEPLOY : LCM_STATE.EPILOG_UNDEPLOY);
  }
}

/** The epilog a VM already powered down goes through to be stopped or undeployed. */
function epilogOf(kind: PowerKind): OneState {
  return active(kind === 'undeploy' ? LCM_STATE.EPILOG_UNDEPLOY : LCM_STATE.EPILOG_STOP);
}

/**
 * The STATE and LCM_STATE a VM shows at `now`, from what the front-end remembers and the model's
 * VM (undefined once the model has removed it).
 */
export function currentState(life: Life, vm: SimVm | undefined, now: number): OneState {
  if (life.forced) return life.forced;
  const { terminate } = life;
  if (terminate) {
    if (terminate.kind === 'immediate' || !vm || now >= terminate.until) {
      // A destroy whose job failed leaves the model's VM in error: the epilog failed.
      return vm?.phase === 'error' && terminate.kind !== 'immediate'
        ? active(LCM_STATE.EPILOG_FAILURE)
        : at(VM_STATE.DONE);
    }
    if (terminate.kind === 'cleanup') return active(LCM_STATE.CLEANUP_DELETE);
    if (terminate.kind === 'shutdown' && firstHalf(terminate, now)) return active(LCM_STATE.SHUTDOWN);
    return active(LCM_STATE.EPILOG);
  }
  if (life.held) return at(VM_STATE.HOLD);
  if (!vm) return at(VM_STATE.DONE);
  const { boot, power, restart } = life;
  const deploying = boot !== undefined && now < boot.until;
  switch (vm.phase) {
    case 'starting':
      if (restart && now < restart.until) return BOOT_STEPS[restart.kind][third(restart, now)];
      return boot ? DEPLOY_STEPS[third(boot, now)] : active(LCM_STATE.BOOT);
    case 'running':
      return deploying ? DEPLOY_STEPS[third(boot, now)] : active(LCM_STATE.RUNNING);
    case 'error':
      return deploying ? DEPLOY_STEPS[third(boot, now)] : active(LCM_STATE.BOOT_FAILURE);
    case 'stopping':
      return power ? poweringDown(power.kind, power, now) : active(LCM_STATE.SHUTDOWN_POWEROFF);
    case 'stopped':
      if (!power) return at(VM_STATE.POWEROFF);
      return now < power.until ? epilogOf(power.kind) : POWERED_OFF[power.kind];
    case 'expunging':
      return active(LCM_STATE.EPILOG);
    case 'destroyed':
      return at(VM_STATE.DONE);
  }
}
