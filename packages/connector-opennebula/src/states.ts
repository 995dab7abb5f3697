import { mapState, type StateTable, type VmState } from '@slipstream/connector-core';

/**
 * OpenNebula's VM life cycle (its "Virtual Machines States Reference", and oned's
 * include/VirtualMachine.h): a VM has a STATE and, while ACTIVE, an LCM_STATE. As `onevm list`
 * and Sunstone do, the native state a VM shows is the LCM_STATE's name when ACTIVE and the
 * STATE's name otherwise; the table maps those names.
 */

/** STATE numbers (VmState). FAILED (7) is gone since OpenNebula 4, kept for old databases. */
export const OPENNEBULA_VM_STATES: readonly (string | undefined)[] = Object.freeze([
  'INIT',
  'PENDING',
  'HOLD',
  'ACTIVE',
  'STOPPED',
  'SUSPENDED',
  'DONE',
  'FAILED',
  'POWEROFF',
  'UNDEPLOYED',
  'CLONING',
  'CLONING_FAILURE',
]);

/** LCM_STATE numbers (LcmState); 13, 14, 55 and 58 are retired. */
export const OPENNEBULA_LCM_STATES: readonly (string | undefined)[] = Object.freeze([
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
]);

const ACTIVE = 3;

/** Names each normalized state gets; every name above not listed is `unknown`. */
const GROUPS: Readonly<Record<Exclude<VmState, 'unknown'>, readonly string[]>> = {
  // Waiting for a host, held, or on the way to running: files copied, the hypervisor booting.
  pending: [
    'INIT',
    'PENDING',
    'HOLD',
    'CLONING',
    'LCM_INIT',
    'PROLOG',
    'BOOT',
    'BOOT_UNKNOWN',
    'BOOT_POWEROFF',
    'BOOT_SUSPENDED',
    'BOOT_STOPPED',
    'BOOT_UNDEPLOY',
    'BOOT_MIGRATE',
    'PROLOG_RESUME',
    'PROLOG_UNDEPLOY',
    'CLEANUP_RESUBMIT',
  ],
  // Running, including the operations done on a running VM (live migration, hot-plugging,
  // snapshots, resizing, backups): the guest keeps running through them.
  running: [
    'RUNNING',
    'MIGRATE',
    'SAVE_MIGRATE',
    'PROLOG_MIGRATE',
    'PROLOG_MIGRATE_UNKNOWN',
    'HOTPLUG',
    'HOTPLUG_SNAPSHOT',
    'HOTPLUG_NIC',
    'HOTPLUG_SAVEAS',
    'HOTPLUG_RESIZE',
    'DISK_SNAPSHOT',
    'DISK_SNAPSHOT_DELETE',
    'DISK_RESIZE',
    'BACKUP',
    'RESTORE',
  ],
  // On the way to powered off, stopped, suspended or undeployed.
  stopping: [
    'SHUTDOWN_POWEROFF',
    'SAVE_STOP',
    'SAVE_SUSPEND',
    'EPILOG_STOP',
    'SHUTDOWN_UNDEPLOY',
    'EPILOG_UNDEPLOY',
  ],
  // Not running, and resumable; operations on a VM that is off keep it off.
  stopped: [
    'POWEROFF',
    'STOPPED',
    'SUSPENDED',
    'UNDEPLOYED',
    'HOTPLUG_SAVEAS_POWEROFF',
    'HOTPLUG_SAVEAS_SUSPENDED',
    'HOTPLUG_SAVEAS_UNDEPLOYED',
    'HOTPLUG_SAVEAS_STOPPED',
    'HOTPLUG_PROLOG_POWEROFF',
    'HOTPLUG_EPILOG_POWEROFF',
    'HOTPLUG_NIC_POWEROFF',
    'PROLOG_MIGRATE_POWEROFF',
    'PROLOG_MIGRATE_SUSPEND',
    'DISK_SNAPSHOT_POWEROFF',
    'DISK_SNAPSHOT_REVERT_POWEROFF',
    'DISK_SNAPSHOT_DELETE_POWEROFF',
    'DISK_SNAPSHOT_SUSPENDED',
    'DISK_SNAPSHOT_DELETE_SUSPENDED',
    'DISK_RESIZE_POWEROFF',
    'DISK_RESIZE_UNDEPLOYED',
    'BACKUP_POWEROFF',
  ],
  // Being shut down for good and cleaned up after terminate.
  terminating: ['SHUTDOWN', 'EPILOG', 'CLEANUP_DELETE'],
  terminated: ['DONE'],
  // FAILURE states: the VM needs an administrator (recover, or terminate).
  error: [
    'FAILED',
    'CLONING_FAILURE',
    ...OPENNEBULA_LCM_STATES.filter((name): name is string => name?.endsWith('_FAILURE') === true),
  ],
};

/** Native state name → SlipStream state; names the table does not hold (UNKNOWN among them) are `unknown`. */
export const OPENNEBULA_STATES: StateTable = Object.freeze(
  Object.fromEntries(
    Object.entries(GROUPS).flatMap(([state, names]) => names.map((name) => [name, state as VmState])),
  ),
);

/**
 * The native state a VM shows: the LCM_STATE's name when ACTIVE, the STATE's otherwise; numbers
 * no version we know uses show as `STATE_<n>` or `ACTIVE_<n>`.
 */
export function nativeState(state: number, lcmState: number | undefined): string {
  if (state === ACTIVE) {
    return (
      (lcmState === undefined ? undefined : OPENNEBULA_LCM_STATES[lcmState]) ?? `ACTIVE_${lcmState ?? '?'}`
    );
  }
  return OPENNEBULA_VM_STATES[state] ?? `STATE_${state}`;
}

export function toVmState(native: string): VmState {
  return mapState(OPENNEBULA_STATES, native);
}
