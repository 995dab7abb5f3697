import type { SimVm } from '../model/types.js';

/**
 * vCD's status of a vApp and of a VM: a number in documents (`status="4"`), its name in query
 * records (`status="POWERED_ON"`). The numbers are vCD's (VAppStatus); the simulator uses -1, 0, 3, 4
 * and 8, computed from the model's phase and what the front-end knows besides it.
 */
export const VAPP_STATUS = Object.freeze({
  FAILED_CREATION: -1,
  UNRESOLVED: 0,
  RESOLVED: 1,
  DEPLOYED: 2,
  SUSPENDED: 3,
  POWERED_ON: 4,
  WAITING_FOR_INPUT: 5,
  UNKNOWN: 6,
  UNRECOGNIZED: 7,
  POWERED_OFF: 8,
  INCONSISTENT_STATE: 9,
  MIXED: 10,
} as const);

export const VAPP_STATUS_NAMES: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(Object.entries(VAPP_STATUS).map(([name, code]) => [code, name])),
);

export function statusName(status: number): string {
  return VAPP_STATUS_NAMES[status] ?? 'UNKNOWN';
}

/** What vCD knows of a vApp's power beyond the model's phase. */
export interface PowerOverlay {
  /**
   * Instantiated with powerOn="false": the model's VM runs, vCD shows it powered off and not
   * deployed until a powerOn's task completes at `until`.
   */
  heldOff: { until: number | undefined } | undefined;
  /** Stopped by an undeploy with UndeployPowerAction suspend: SUSPENDED rather than POWERED_OFF. */
  suspended: boolean;
  /** Stopped by power/action/powerOff, which leaves the vApp deployed (undeploy clears it). */
  deployedWhileOff: boolean;
}

export interface PowerState {
  readonly status: number;
  readonly deployed: boolean;
}

/** Whether the held-off overlay still hides the running VM at `now`, clearing it once its powerOn is done. */
export function isHeldOff(overlay: PowerOverlay, now: number): boolean {
  const held = overlay.heldOff;
  if (!held) return false;
  if (held.until !== undefined && now >= held.until) {
    overlay.heldOff = undefined;
    return false;
  }
  return true;
}

/**
 * The status vCD shows, from the model's phase: UNRESOLVED while the instantiate task runs,
 * POWERED_ON (deployed) when running, POWERED_OFF while a powerOn's task runs and when stopped
 * (SUSPENDED after a suspend), still POWERED_ON while it stops, FAILED_CREATION when the model's VM
 * failed.
 */
export function powerState(vm: SimVm, overlay: PowerOverlay, creating: boolean, now: number): PowerState {
  switch (vm.phase) {
    case 'error':
      return { status: VAPP_STATUS.FAILED_CREATION, deployed: false };
    case 'starting':
      return creating
        ? { status: VAPP_STATUS.UNRESOLVED, deployed: false }
        : { status: VAPP_STATUS.POWERED_OFF, deployed: false };
    case 'running':
      return isHeldOff(overlay, now)
        ? { status: VAPP_STATUS.POWERED_OFF, deployed: false }
        : { status: VAPP_STATUS.POWERED_ON, deployed: true };
    case 'stopping':
      return { status: VAPP_STATUS.POWERED_ON, deployed: true };
    case 'stopped':
      return {
        status: overlay.suspended ? VAPP_STATUS.SUSPENDED : VAPP_STATUS.POWERED_OFF,
        deployed: overlay.deployedWhileOff,
      };
    default:
      // destroyed, expunging: on the way out, powered off.
      return { status: VAPP_STATUS.POWERED_OFF, deployed: false };
  }
}
