import { SimError } from '../model/errors.js';
import type { SimAccount, SimOperation } from '../model/types.js';
import { badRequest, busyEntity, stopFirst, wrongState } from './errors.js';
import type { Inventory, VAppRecord, VAppView } from './inventory.js';
import { VAPP_STATUS } from './states.js';
import type { TaskRecord } from './tasks.js';

/**
 * What changes a vApp (or its one VM) after instantiation, each answered 202 with a Task: power
 * actions (`power/action/powerOn|powerOff|shutdown|suspend|reboot|reset`), `action/deploy`,
 * `action/undeploy` (UndeployVAppParams' UndeployPowerAction powerOff, shutdown, suspend, force or
 * default) and `DELETE` of the vApp. Each checks the state as vCD does first: an action while a task
 * runs is BUSY_ENTITY, one the state does not allow vCD's 400, a delete of a deployed vApp "Stop the
 * vApp and try again". Power changes go through the model (its delays, its injected failures).
 */

export interface ActionDelays {
  readonly bootMs: number;
  readonly haltMs: number;
}

export interface ActionTarget {
  readonly vapp: VAppRecord;
  /** Whether the call named the vApp or its VM: the messages and the task's owner follow it. */
  readonly kind: 'vApp' | 'VM';
}

export type PowerAction = 'powerOn' | 'powerOff' | 'shutdown' | 'suspend' | 'reboot' | 'reset';
export type UndeployAction = 'powerOff' | 'shutdown' | 'suspend' | 'force' | 'default';

export class VAppActions {
  readonly #inventory: Inventory;
  readonly #delays: ActionDelays;

  constructor(inventory: Inventory, delays: ActionDelays) {
    this.#inventory = inventory;
    this.#delays = delays;
  }

  power(target: ActionTarget, action: PowerAction, account: SimAccount): TaskRecord {
    const view = this.#ready(target);
    const { vapp } = target;
    const status = view.power.status;
    if (action === 'powerOn') return this.#powerOn(target, view, account);
    if (status !== VAPP_STATUS.POWERED_ON) throw wrongState(target.kind, this.#name(target), 'powered on');
    switch (action) {
      case 'powerOff':
      case 'shutdown':
      case 'suspend': {
        const operation = this.#model(() =>
          this.#inventory.cloud.stopVm(vapp.account, vapp.modelVmId, action),
        );
        // A power off leaves the vApp deployed, unlike an undeploy; a suspend keeps its memory.
        vapp.deployedWhileOff = true;
        vapp.suspended = action === 'suspend';
        const names = {
          powerOff: ['vappPowerOff', 'Powering Off'],
          shutdown: ['vappShutdownGuest', 'Shutting Down'],
          suspend: ['vappSuspend', 'Suspending'],
        } as const;
        const [operationName, verb] = names[action];
        return this.#task(target, account, operationName, verb, operation);
      }
      default: {
        // Reboot and reset leave it running: a task for the time a boot takes, nothing else changes.
        const operationName = action === 'reboot' ? 'vappRebootGuest' : 'vappReset';
        const verb = action === 'reboot' ? 'Rebooting' : 'Resetting';
        return this.#task(target, account, operationName, verb, undefined, this.#delays.bootMs);
      }
    }
  }

  undeploy(target: ActionTarget, action: UndeployAction, account: SimAccount): TaskRecord {
    const view = this.#ready(target);
    const { vapp } = target;
    if (!view.power.deployed) throw wrongState(target.kind, this.#name(target), 'running');
    if (view.power.status !== VAPP_STATUS.POWERED_ON) {
      // Powered off (or suspended) but still deployed: undeploying releases it, nothing to stop.
      vapp.deployedWhileOff = false;
      if (action !== 'suspend') vapp.suspended = false;
      return this.#task(target, account, 'vappUndeployPowerOff', 'Stopping', undefined, 0);
    }
    const operation = this.#model(() =>
      this.#inventory.cloud.stopVm(vapp.account, vapp.modelVmId, 'undeploy'),
    );
    vapp.deployedWhileOff = false;
    vapp.suspended = action === 'suspend';
    const operationName = action === 'suspend' ? 'vappUndeploySuspend' : 'vappUndeployPowerOff';
    return this.#task(target, account, operationName, 'Stopping', operation);
  }

  delete(target: ActionTarget, account: SimAccount): TaskRecord {
    const view = this.#ready(target);
    const { vapp } = target;
    if (view.power.deployed || view.power.status === VAPP_STATUS.POWERED_ON) throw stopFirst(vapp.name);
    const operation = this.#model(() =>
      this.#inventory.cloud.destroyVm(vapp.account, vapp.modelVmId, true, 'deleteVApp'),
    );
    return this.#task(
      target,
      account,
      'vdcDeleteVapp',
      'Deleting',
      operation,
      undefined,
      `Deleting Virtual Application ${vapp.name} (${vapp.id})`,
    );
  }

  #powerOn(target: ActionTarget, view: VAppView, account: SimAccount): TaskRecord {
    const { vapp } = target;
    const status = view.power.status;
    if (status === VAPP_STATUS.POWERED_ON) throw wrongState(target.kind, this.#name(target), 'powered off');
    if (status === VAPP_STATUS.FAILED_CREATION) throw wrongState(target.kind, this.#name(target), 'resolved');
    if (view.vm.phase === 'running') {
      // Instantiated powered off: the model's VM already runs; vCD shows it on once this task is done.
      const task = this.#task(target, account, 'vappDeploy', 'Starting', undefined, this.#delays.bootMs);
      vapp.heldOff = { until: task.completesAt };
      return task;
    }
    const operation = this.#model(() =>
      this.#inventory.cloud.startVm(vapp.account, vapp.modelVmId, 'powerOn'),
    );
    vapp.suspended = false;
    vapp.deployedWhileOff = false;
    return this.#task(target, account, 'vappDeploy', 'Starting', operation);
  }

  /** The vApp as it is now, refusing any change while one of its tasks runs. */
  #ready(target: ActionTarget): VAppView {
    const view = this.#inventory.view(target.vapp);
    if (!view) throw badRequest(`The vApp "${target.vapp.name}" no longer exists.`);
    if (view.runningTasks.length > 0 || view.power.status === VAPP_STATUS.UNRESOLVED) {
      throw busyEntity(target.kind, this.#name(target));
    }
    return view;
  }

  #name(target: ActionTarget): string {
    return target.kind === 'vApp' ? target.vapp.name : target.vapp.vmName;
  }

  #model(change: () => SimOperation): SimOperation {
    try {
      return change();
    } catch (error) {
      if (error instanceof SimError) throw badRequest(error.message);
      throw error;
    }
  }

  #task(
    target: ActionTarget,
    account: SimAccount,
    operationName: string,
    verb: string,
    operation: SimOperation | undefined,
    durationMs = 0,
    sentence?: string,
  ): TaskRecord {
    const { vapp, kind } = target;
    const owner =
      kind === 'vApp'
        ? { kind: 'vApp' as const, id: vapp.id, name: vapp.name }
        : { kind: 'vm' as const, id: vapp.vmId, name: vapp.vmName };
    const noun = kind === 'vApp' ? 'Virtual Application' : 'Virtual Machine';
    const task = this.#inventory.tasks.add({
      account: account.id,
      userName: account.key,
      operationName,
      operation: sentence ?? `${verb} ${noun} ${owner.name}(${owner.id})`,
      owner,
      completesAt: operation?.completesAt ?? this.#inventory.cloud.clock.now() + durationMs,
      modelOperation: operation?.id,
    });
    vapp.tasks.push(task.id);
    return task;
  }
}
