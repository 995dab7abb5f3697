import { randomUUID } from 'node:crypto';
import { SimError } from '../../model/errors.js';
import type { SimOperation, SimVm } from '../../model/types.js';
import { booleanParam, type CommandContext, type CommandSpec, like, listParam } from '../context.js';
import { API_ERROR, CloudStackApiError, CS_ERROR, invalidValue, unknownId } from '../errors.js';
import { isUuid } from '../identity.js';
import { pendingJobsByVm } from '../jobs.js';
import { offeringParam, templateParam, vmIdResolves, vmOf, zoneParam } from '../lookups.js';
import { listBody } from '../paging.js';
import { validateUserData } from '../userdata.js';
import { VM_STATE, vmView } from '../views.js';

/** deployVirtualMachine, listVirtualMachines, destroy/stop/startVirtualMachine. */

/** NetUtils.verifyDomainNameLabel for host names: what CloudStack accepts as a VM `name`. */
const HOST_NAME = /^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** Phases in which a VM still holds its name on the guest network. */
const LIVE = new Set(['starting', 'running', 'stopping', 'stopped']);

export const deployVirtualMachine: CommandSpec = {
  // DeployVMCmd declares zoneid first, then serviceofferingid, then templateid.
  required: ['zoneid', 'serviceofferingid', 'templateid'],
  handle(context) {
    const { cloud, account, params, jobs } = context;
    const zone = zoneParam(context, 'zoneid');
    const size = offeringParam(context, 'serviceofferingid');
    const image = templateParam(context, 'templateid');
    if (!zone || !size || !image) throw new Error('required parameters are checked before handlers run');
    const requested = params.get('name');
    if (requested !== undefined && !HOST_NAME.test(requested)) {
      throw invalidValue(
        `Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with "-" and can't start with digit`,
      );
    }
    // CloudStack names a VM after its UUID when the caller gives no name.
    const name = requested ?? `VM-${randomUUID()}`;
    const keyPair = params.get('keypair') ?? listParam(context, 'keypairs')?.[0];
    if (keyPair !== undefined && !cloud.keyPairs(account.id).some((pair) => pair.name === keyPair)) {
      throw invalidValue(`A key pair with name '${keyPair}' was not found.`);
    }
    const userData = validateUserData(params.get('userdata'), context.httpMethod, context.settings);
    if (image.zones && !image.zones.includes(zone.id)) {
      throw invalidValue(`Template ${image.name} has not been completely downloaded to zone ${zone.id}`);
    }
    const clash = cloud
      .vms(account.id)
      .find(
        (vm) => vm.zone === zone.id && LIVE.has(vm.phase) && vm.name.toLowerCase() === name.toLowerCase(),
      );
    if (clash) {
      throw invalidValue(
        `The vm with hostName ${name} already exists in the network domain: cs${account.name.toLowerCase()}cloud.internal; network=${account.name}-${zone.name.toLowerCase()}-network`,
      );
    }
    let created: { vm: SimVm; operation: SimOperation };
    try {
      created = cloud.createVm(
        account.id,
        {
          name,
          displayName: params.get('displayname') ?? name,
          zone: zone.id,
          image: image.id,
          size: size.id,
          keyPair,
          userData,
        },
        context.command,
      );
    } catch (error) {
      if (error instanceof SimError && error.kind === 'quota') {
        const held = cloud.vms(account.id).filter((vm) => LIVE.has(vm.phase) || vm.phase === 'error').length;
        // ResourceLimitManagerImpl's text; DeployVMCmd.create() turns the exception into 535.
        throw new CloudStackApiError(
          API_ERROR.RESOURCE_ALLOCATION_ERROR,
          `Maximum amount of resources of Type = 'user_vm' for Account Name = ${account.name} in Domain Id = 1 is exceeded: Account Resource Limit = ${account.vmLimit}, Current Account Resource Amount = ${held}, Requested Resource Amount = 1.`,
          CS_ERROR.ServerApiException,
        );
      }
      if (error instanceof SimError) throw invalidValue(error.message);
      throw error;
    }
    jobs.note(created.operation.id, { vm: created.vm });
    return { id: created.vm.id, jobid: created.operation.id };
  },
};

export const listVirtualMachines: CommandSpec = {
  required: [],
  handle(context) {
    const { cloud, account, params, settings } = context;
    const id = params.get('id');
    if (id !== undefined && !vmIdResolves(context, id)) throw unknownId(context.command, 'id', id);
    const ids = listParam(context, 'ids');
    for (const each of ids ?? []) {
      if (!isUuid(each) || !vmIdResolves(context, each)) throw unknownId(context.command, 'ids', each);
    }
    if (id !== undefined && ids !== undefined && ids.length > 0) {
      // QueryManagerImpl refuses the pair once ParamProcessWorker has resolved both.
      throw invalidValue('Specify either id or ids but not both parameters');
    }
    const zone = zoneParam(context, 'zoneid');
    const template = templateParam(context, 'templateid');
    const offering = offeringParam(context, 'serviceofferingid');
    const name = params.get('name');
    const state = params.get('state')?.toLowerCase();
    const keyword = params.get('keyword');
    const tags = params.map('tags');
    const pending = pendingJobsByVm(cloud, account);
    const vms = cloud.vms(account.id).filter((vm) => {
      const shownState = VM_STATE[vm.phase];
      if (!settings.allowUserViewDestroyedVm && (vm.phase === 'destroyed' || vm.phase === 'expunging')) {
        return false;
      }
      return (
        (id === undefined || vm.id === id) &&
        (ids === undefined || ids.includes(vm.id)) &&
        (!zone || vm.zone === zone.id) &&
        (!template || vm.image === template.id) &&
        (!offering || vm.size === offering.id) &&
        (name === undefined || like(vm.name, name)) &&
        (state === undefined || shownState.toLowerCase() === state) &&
        (keyword === undefined ||
          like(vm.name, keyword) ||
          like(vm.displayName, keyword) ||
          shownState.toLowerCase() === keyword.toLowerCase()) &&
        tags.every((tag) => tagMatches(vm, tag))
      );
    });
    return listBody(context.command, params, 'virtualmachine', vms, settings.defaultPageSize, (vm) =>
      vmView(cloud, account, vm, { pendingJob: pending.get(vm.id) }),
    );
  },
};

/** A `tags[n]` filter: the VM has the key and, when the filter gives one, that value. */
function tagMatches(vm: SimVm, tag: Record<string, string>): boolean {
  const key = tag.key;
  if (key === undefined || !Object.hasOwn(vm.tags, key)) return false;
  return tag.value === undefined || vm.tags[key] === tag.value;
}

export const destroyVirtualMachine: CommandSpec = {
  required: ['id'],
  handle(context) {
    const { cloud, account, jobs } = context;
    const vm = vmOf(context, context.params.get('id') ?? '');
    const expunge = booleanParam(context, 'expunge') ?? false;
    if (expunge && !context.settings.allowUserExpungeRecoverVm) {
      // UserVmManagerImpl refuses inside the job; the job dispatcher reports it as 530.
      return failedJob(
        context,
        vm,
        'Parameter expunge can be passed by Admin only. Or when the allow.user.expunge.recover.vm key is set.',
      );
    }
    if (vm.phase === 'expunging' || (vm.phase === 'destroyed' && !expunge)) {
      // Destroying what is already destroyed succeeds without doing anything.
      const operation = cloud.completedOperation(account.id, context.command, vm.id);
      jobs.note(operation.id, { vm, finalState: VM_STATE[vm.phase] });
      return { jobid: operation.id };
    }
    const operation = cloud.destroyVm(account.id, vm.id, expunge, context.command);
    jobs.note(operation.id, { vm, finalState: expunge ? 'Expunging' : 'Destroyed' });
    return { jobid: operation.id };
  },
};

export const stopVirtualMachine: CommandSpec = {
  required: ['id'],
  handle(context) {
    const vm = vmOf(context, context.params.get('id') ?? '');
    booleanParam(context, 'forced');
    if (vm.phase === 'stopped') return noOpJob(context, vm);
    if (vm.phase !== 'running') {
      return failedJob(context, vm, `Unable to stop VM[User|${vm.name}]: it is ${VM_STATE[vm.phase]}`);
    }
    return changeJob(context, vm, context.cloud.stopVm(context.account.id, vm.id, context.command));
  },
};

export const startVirtualMachine: CommandSpec = {
  required: ['id'],
  handle(context) {
    const vm = vmOf(context, context.params.get('id') ?? '');
    if (vm.phase === 'running') return noOpJob(context, vm);
    if (vm.phase !== 'stopped') {
      return failedJob(context, vm, `Unable to start VM[User|${vm.name}]: it is ${VM_STATE[vm.phase]}`);
    }
    return changeJob(context, vm, context.cloud.startVm(context.account.id, vm.id, context.command));
  },
};

function changeJob(context: CommandContext, vm: SimVm, operation: SimOperation): { jobid: string } {
  context.jobs.note(operation.id, { vm });
  return { jobid: operation.id };
}

function noOpJob(context: CommandContext, vm: SimVm): { jobid: string } {
  return changeJob(context, vm, context.cloud.completedOperation(context.account.id, context.command, vm.id));
}

/** A job CloudStack accepts and that then fails: errors raised inside jobs are reported as 530. */
function failedJob(context: CommandContext, vm: SimVm, text: string): { jobid: string } {
  const operation = context.cloud.completedOperation(context.account.id, context.command, vm.id);
  context.jobs.note(operation.id, { vm, error: { code: API_ERROR.INTERNAL_ERROR, text } });
  return { jobid: operation.id };
}
