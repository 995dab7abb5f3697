import { SimError } from '../model/errors.js';
import type { SimOperation } from '../model/types.js';
import { type Caller, canManage } from './access.js';
import { type AuthOperation, actionFailed, noSuchObject, notAuthorized } from './errors.js';
import type { OneRegistry, VmRecord } from './registry.js';
import {
  FAILURE_LCM_STATES,
  LCM_STATE,
  type OneState,
  type PowerKind,
  type Span,
  stateName,
  type TerminateKind,
  VM_STATE,
} from './states.js';

/**
 * one.vm.action: the action names oned knows, who may ask them (oned.conf's defaults: most are
 * MANAGE operations, a VM's owner has; migrate, delete, recover, resched… are ADMIN ones, which
 * users do not have on their own VMs), which states each needs (DispatchManager's checks, and
 * their messages), and what each does to the model. Names oned does not know (`shutdown`,
 * `shutdown-hard`, gone since 5.0) and names it knows but vm.action does not perform are
 * "Action "…" is not supported".
 */

/** oned's VMActions numbers, for the history record's ACTION. */
const ACTION_NUMBERS: Readonly<Record<string, number>> = {
  undeploy: 5,
  'undeploy-hard': 6,
  hold: 7,
  release: 8,
  stop: 9,
  suspend: 10,
  resume: 11,
  reboot: 15,
  'reboot-hard': 16,
  poweroff: 19,
  'poweroff-hard': 20,
  terminate: 27,
  'terminate-hard': 28,
};

/** Action names that are ADMIN operations in oned.conf's defaults (VM_ADMIN_OPERATIONS). */
const ADMIN_ACTIONS: ReadonlySet<string> = new Set([
  'migrate',
  'live-migrate',
  'poweroff-migrate',
  'poweroff-hard-migrate',
  'delete',
  'delete-recreate',
  'recover',
  'retry',
  'deploy',
  'resched',
  'unresched',
  'backup',
  'restore',
]);

export interface ActionDelays {
  readonly bootMs: number;
  readonly haltMs: number;
}

export interface ActionContext {
  readonly registry: OneRegistry;
  readonly caller: Caller;
  readonly delays: ActionDelays;
}

const isActive = (state: OneState, ...lcm: number[]) =>
  state.state === VM_STATE.ACTIVE && lcm.includes(state.lcm);

/** Performs `action` on VM `id` as oned would, or throws oned's refusal. */
export function performAction(context: ActionContext, action: string, id: number): void {
  const { registry, caller } = context;
  const record = registry.vm(id);
  if (!record) throw noSuchObject('virtual machine', id);
  const operation: AuthOperation = ADMIN_ACTIONS.has(action) ? 'ADMIN' : 'MANAGE';
  // Users hold no ADMIN rights on VMs, their own included (the owner's bits are 600).
  const allowed = operation === 'ADMIN' ? false : canManage(record, caller);
  if (!allowed) throw notAuthorized(caller.uid, operation, 'VM', id);
  const state = registry.stateOf(record);
  const act = ACTIONS[action];
  if (!act) throw actionFailed(`Action "${action}" is not supported`);
  const changed = act({ context, record, state, id });
  if (changed === 'refused') {
    const reason =
      action === 'terminate' || action === 'terminate-hard'
        ? `Could not terminate VM ${id}, wrong state ${stateName(state)}.`
        : `This action is not available for state ${stateName(state)}`;
    throw actionFailed(`Error performing action "${action}": ${reason}`);
  }
  record.previous = state;
  record.lastAction = { action: ACTION_NUMBERS[action] ?? 0, uid: caller.uid, gid: caller.gid };
}

interface ActionInput {
  readonly context: ActionContext;
  readonly record: VmRecord;
  readonly state: OneState;
  readonly id: number;
}

/** 'refused' when the state does not allow it; 'done' otherwise. */
type ActionOutcome = 'done' | 'refused';
type Act = (input: ActionInput) => ActionOutcome;

/** Runs a model operation, as far as the model follows: a state a test forced may not be one it knows. */
function modelOperation(run: () => SimOperation): Span | undefined {
  try {
    const operation = run();
    return { from: operation.createdAt, until: operation.completesAt };
  } catch (error) {
    if (error instanceof SimError) return undefined;
    throw error;
  }
}

/** States terminate takes through the epilog only: the VM is not running on its host. */
const POWERED_DOWN: ReadonlySet<number> = new Set([
  VM_STATE.SUSPENDED,
  VM_STATE.POWEROFF,
  VM_STATE.STOPPED,
  VM_STATE.UNDEPLOYED,
]);
/** States terminate ends at once: nothing was deployed yet. */
const NOT_DEPLOYED: ReadonlySet<number> = new Set([
  VM_STATE.INIT,
  VM_STATE.PENDING,
  VM_STATE.HOLD,
  VM_STATE.CLONING,
  VM_STATE.CLONING_FAILURE,
]);

function terminate(hard: boolean): Act {
  return ({ context, record, state }) => {
    let kind: TerminateKind | undefined;
    if (POWERED_DOWN.has(state.state)) {
      kind = 'epilog';
    } else if (NOT_DEPLOYED.has(state.state)) {
      kind = 'immediate';
    } else if (state.state === VM_STATE.DONE) {
      return 'done';
    } else if (isActive(state, LCM_STATE.RUNNING, LCM_STATE.UNKNOWN)) {
      kind = 'shutdown';
    } else if (state.state === VM_STATE.ACTIVE && FAILURE_LCM_STATES.has(state.lcm)) {
      kind = 'cleanup';
    } else if (hard && isActive(state, LCM_STATE.SHUTDOWN)) {
      // A hard terminate overrides a shutdown already under way; it is still going.
      return 'done';
    } else {
      return 'refused';
    }
    const { registry } = context;
    const now = registry.cloud.clock.now();
    const span = modelOperation(() =>
      registry.cloud.destroyVm(record.account, record.vmId, true, 'one.vm.action'),
    );
    record.life.forced = undefined;
    record.life.held = false;
    record.life.terminate =
      kind === 'immediate' || !span ? { kind: 'immediate', from: now, until: now } : { kind, ...span };
    return 'done';
  };
}

/** Powers a running VM down through the model (the model's stop takes the halt delay). */
function powerDown(kind: PowerKind, input: ActionInput): ActionOutcome {
  const { context, record } = input;
  const { registry } = context;
  const span = modelOperation(() => registry.cloud.stopVm(record.account, record.vmId, 'one.vm.action'));
  record.life.forced = undefined;
  if (span) record.life.power = { kind, ...span };
  return 'done';
}

/** Takes a VM already powered down on to stopped or undeployed: the epilog only. */
function epilogOnly(kind: PowerKind, input: ActionInput): ActionOutcome {
  const { context, record } = input;
  const now = context.registry.cloud.clock.now();
  record.life.forced = undefined;
  record.life.power = { kind, from: now, until: now + context.delays.haltMs };
  return 'done';
}

function poweroff(hard: boolean): Act {
  return (input) => {
    const { state } = input;
    if (isActive(state, LCM_STATE.RUNNING, LCM_STATE.UNKNOWN)) return powerDown('poweroff', input);
    if (hard && isActive(state, LCM_STATE.SHUTDOWN_POWEROFF)) return 'done';
    return 'refused';
  };
}

function undeploy(hard: boolean): Act {
  return (input) => {
    const { state } = input;
    if (isActive(state, LCM_STATE.RUNNING, LCM_STATE.UNKNOWN)) return powerDown('undeploy', input);
    if (state.state === VM_STATE.POWEROFF) return epilogOnly('undeploy', input);
    if (hard && isActive(state, LCM_STATE.SHUTDOWN_UNDEPLOY)) return 'done';
    return 'refused';
  };
}

const RESUMABLE: Readonly<Partial<Record<number, PowerKind>>> = {
  [VM_STATE.POWEROFF]: 'poweroff',
  [VM_STATE.SUSPENDED]: 'suspend',
  [VM_STATE.STOPPED]: 'stop',
  [VM_STATE.UNDEPLOYED]: 'undeploy',
};

const resume: Act = ({ context, record, state }) => {
  const kind = RESUMABLE[state.state];
  if (!kind && !isActive(state, LCM_STATE.UNKNOWN)) return 'refused';
  record.life.forced = undefined;
  if (kind) {
    const { registry } = context;
    const span = modelOperation(() => registry.cloud.startVm(record.account, record.vmId, 'one.vm.action'));
    if (span) record.life.restart = { kind, ...span };
  }
  return 'done';
};

const running = (input: ActionInput): boolean => isActive(input.state, LCM_STATE.RUNNING);

const ACTIONS: Readonly<Record<string, Act>> = {
  terminate: terminate(false),
  'terminate-hard': terminate(true),
  poweroff: poweroff(false),
  'poweroff-hard': poweroff(true),
  undeploy: undeploy(false),
  'undeploy-hard': undeploy(true),
  resume,
  suspend: (input) => (running(input) ? powerDown('suspend', input) : 'refused'),
  stop: (input) => {
    if (running(input)) return powerDown('stop', input);
    if (input.state.state === VM_STATE.SUSPENDED) return epilogOnly('stop', input);
    return 'refused';
  },
  // A reboot keeps the VM RUNNING; the guest's restart is not modelled.
  reboot: (input) => (running(input) ? 'done' : 'refused'),
  'reboot-hard': (input) => (running(input) ? 'done' : 'refused'),
  hold: ({ record, state }) => {
    if (state.state !== VM_STATE.PENDING) return 'refused';
    record.life.forced = undefined;
    record.life.held = true;
    return 'done';
  },
  release: ({ context, record, state }) => {
    if (state.state !== VM_STATE.HOLD) return 'refused';
    const now = context.registry.cloud.clock.now();
    record.life.forced = undefined;
    record.life.held = false;
    // Deployment starts over from PENDING now, whatever the model did meanwhile.
    record.life.boot = { from: now, until: now + context.delays.bootMs };
    return 'done';
  },
};
