import type { SimImage, SimSize, SimVm, SimZone } from '../model/types.js';
import type { CommandContext } from './context.js';
import { invalidValue, unknownId } from './errors.js';

/**
 * Id parameters resolved as CloudStack's ParamProcessWorker resolves them: an id that names no
 * object of the expected kind is a 431 naming the parameter and the value, before the command
 * runs.
 */

export function zoneParam(context: CommandContext, name: string): SimZone | undefined {
  const id = context.params.get(name);
  if (id === undefined) return undefined;
  const zone = context.cloud.zones.find((z) => z.id === id);
  if (!zone) throw unknownId(context.command, name, id);
  return zone;
}

export function templateParam(context: CommandContext, name: string): SimImage | undefined {
  const id = context.params.get(name);
  if (id === undefined) return undefined;
  const image = context.cloud.images.find((i) => i.id === id);
  if (!image) throw unknownId(context.command, name, id);
  return image;
}

export function offeringParam(context: CommandContext, name: string): SimSize | undefined {
  const id = context.params.get(name);
  if (id === undefined) return undefined;
  const size = context.cloud.sizes.find((s) => s.id === id);
  if (!size) throw unknownId(context.command, name, id);
  return size;
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
