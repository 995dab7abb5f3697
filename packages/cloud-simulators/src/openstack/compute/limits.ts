import type { NovaCall, NovaContext, NovaResult } from './context.js';
import { KEY_PAIRS_LIMIT } from './keypairs.js';
import { checkKnownParameters } from './query.js';
import { METADATA_ITEMS_LIMIT } from './servers.js';

/**
 * GET /limits: the project's absolute limits and usage. The instance limit is the model account's;
 * cores and RAM are unlimited (-1), as the model counts VMs only; the rest are Nova's default
 * quotas. Microversions drop the network proxies (2.36), maxImageMeta (2.39) and personality
 * (2.57).
 */
export function handleLimits(context: NovaContext, call: NovaCall): NovaResult {
  checkKnownParameters(call.query, new Set(['tenant_id']), call.version);
  const { cloud } = context;
  const account = cloud.accounts().find((candidate) => candidate.id === call.caller.account);
  const held = cloud
    .vms(call.caller.account)
    .filter((vm) => vm.phase !== 'expunging' && vm.phase !== 'destroyed');
  const sizes = held.map((vm) => cloud.sizes.find((size) => size.id === vm.size));
  const version = call.version;
  const absolute: Record<string, number> = {
    maxTotalInstances: account?.vmLimit ?? -1,
    maxTotalCores: -1,
    maxTotalRAMSize: -1,
    maxTotalKeypairs: KEY_PAIRS_LIMIT,
    maxServerMeta: METADATA_ITEMS_LIMIT,
    maxServerGroups: 10,
    maxServerGroupMembers: 10,
    totalInstancesUsed: held.length,
    totalCoresUsed: sizes.reduce((sum, size) => sum + (size?.cpus ?? 0), 0),
    totalRAMUsed: sizes.reduce((sum, size) => sum + (size?.memoryMb ?? 0), 0),
    totalServerGroupsUsed: 0,
  };
  if (!version.atLeast('2.39')) absolute.maxImageMeta = METADATA_ITEMS_LIMIT;
  if (!version.atLeast('2.57')) Object.assign(absolute, { maxPersonality: 5, maxPersonalitySize: 10240 });
  if (!version.atLeast('2.36')) {
    Object.assign(absolute, {
      maxTotalFloatingIps: 10,
      maxSecurityGroups: 10,
      maxSecurityGroupRules: 20,
      totalFloatingIpsUsed: 0,
      totalSecurityGroupsUsed: 0,
    });
  }
  return { status: 200, body: { limits: { rate: [], absolute } } };
}
