import type { CommandSpec } from '../context.js';
import { listCapabilities, listServiceOfferings, listTemplates, listZones } from './catalog.js';
import { listAsyncJobs, queryAsyncJobResult } from './jobs.js';
import { deleteSSHKeyPair, listSSHKeyPairs, registerSSHKeyPair } from './keypairs.js';
import {
  listIpForwardingRules,
  listNetworks,
  listPortForwardingRules,
  listPublicIpAddresses,
} from './networking.js';
import { createTags, listTags } from './tags.js';
import {
  deployVirtualMachine,
  destroyVirtualMachine,
  listVirtualMachines,
  startVirtualMachine,
  stopVirtualMachine,
} from './vms.js';

/**
 * The commands the simulator implements, by API name. Names are case-sensitive, as CloudStack's
 * command map is.
 */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = Object.freeze({
  listCapabilities,
  listZones,
  listTemplates,
  listServiceOfferings,
  listSSHKeyPairs,
  registerSSHKeyPair,
  deleteSSHKeyPair,
  deployVirtualMachine,
  listVirtualMachines,
  destroyVirtualMachine,
  stopVirtualMachine,
  startVirtualMachine,
  createTags,
  listTags,
  queryAsyncJobResult,
  listAsyncJobs,
  listNetworks,
  listPublicIpAddresses,
  listPortForwardingRules,
  listIpForwardingRules,
});

export function commandSpec(command: string): CommandSpec | undefined {
  return Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
}
