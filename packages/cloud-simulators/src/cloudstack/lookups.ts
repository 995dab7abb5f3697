import type { SimImage, SimSize, SimVm, SimZone } from '../model/types.js';
import type { CommandContext } from './context.js';
import { invalidValue, unknownId } from './errors.js';

/**
 * Id parameters resolved as CloudStack's ParamProcessWorker resolves them: an id that names no
 * object of the expected kind is a 431 naming the parameter and the value, before the command
 * runs.
 */

export function zoneParam(context: CommandContext, name: string): SimZone | undefined {
  return catalogParam(context, name, context.cloud.zones);
}

export function templateParam(context: CommandContext, name: string): SimImage | undefined {
  return catalogParam(context, name, context.cloud.images);
}

export function offeringParam(context: CommandContext, name: string): SimSize | undefined {
  return catalogParam(context, name, context.cloud.sizes);
}

function catalogParam<T extends { readonly id: string }>(
  context: CommandContext,
  name: string,
  items: readonly T[],
): T | undefined {
  const id = context.params.get(name);
  if (id === undefined) return undefined;
  const item = items.find((candidate) => candidate.id === id);
  if (!item) throw unknownId(context.command, name, id);
  return item;
}

/**
 * A VM id. One the account never had is the 431 of an unresolvable id; one it had but that is
 * expunged resolves (CloudStack looks ids up removed rows included) and the command then finds no
 * VM, which is the service layer's InvalidParameterValueException.
 */
export function vmOf(context: CommandContext, id: string, parameter = 'id'): SimVm {
  const { cloud, account } = context;
  if (!cloud.hadVm(account.id, id)) throw unknownId(context.command, parameter, id);
  const vm = cloud.vm(account.id, id);
  if (!vm) throw invalidValue('Unable to find a virtual machine with specified vmId');
  return vm;
}

/** Whether an id names one of the account's VMs, expunged ones included (they list as nothing). */
export function vmIdResolves(context: CommandContext, id: string): boolean {
  return context.cloud.hadVm(context.account.id, id);
}
