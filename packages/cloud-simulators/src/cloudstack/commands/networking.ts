import type { SimAccount, SimVm, SimZone } from '../../model/types.js';
import { booleanParam, type CommandContext, type CommandSpec, like } from '../context.js';
import { unknownId } from '../errors.js';
import { vmIdResolves, zoneParam } from '../lookups.js';
import { listBody } from '../paging.js';
import type { JsonObject } from '../render.js';
import {
  guestNetworkId,
  guestNetworkName,
  networkView,
  publicIpIdOf,
  publicIpView,
  type SimPublicIp,
  sourceNatIdOf,
} from '../views.js';

/**
 * listNetworks, listPublicIpAddresses, listPortForwardingRules and listIpForwardingRules: read-only
 * views of the network every VM of an account is on, derived from the account's VMs.
 *
 * The simulated zones are Advanced zones, so an account's VMs sit on an Isolated guest network the
 * cloud creates for the account in a zone at its first deployment there. The network's virtual
 * router holds one source NAT address; each VM's own public address (`publicip` in
 * listVirtualMachines) is a static NAT address pointing at it. The model keeps no port forwarding
 * or IP forwarding (static NAT) rules, so those lists are always empty; their filters are still
 * checked as CloudStack checks them.
 */

/** Zones the account has a guest network in: those holding at least one of its (unexpunged) VMs. */
function networkZones(context: CommandContext): Array<{ zone: SimZone; vms: SimVm[] }> {
  const { cloud, account } = context;
  const vms = cloud.vms(account.id);
  const result: Array<{ zone: SimZone; vms: SimVm[] }> = [];
  for (const zone of cloud.zones) {
    const inZone = vms.filter((vm) => vm.zone === zone.id);
    if (inZone.length > 0) result.push({ zone, vms: inZone });
  }
  return result;
}

/**
 * The source NAT address of an account's network in a zone. The model numbers VM addresses across
 * 198.18.0.0/15, so these come from the two documentation ranges instead (RFC 5737, never routed),
 * by account and zone: unique for the first 512 account-zone pairs of a simulator.
 */
function sourceNatAddress(context: CommandContext, account: SimAccount, zone: SimZone): string {
  const accountIndex = Math.max(
    0,
    context.cloud.accounts().findIndex((candidate) => candidate.id === account.id),
  );
  const zoneIndex = Math.max(
    0,
    context.cloud.zones.findIndex((candidate) => candidate.id === zone.id),
  );
  const n = (accountIndex * context.cloud.zones.length + zoneIndex) % 508;
  // 198.51.100.2–.255, then 203.0.113.2–.255: .0 and .1 are the network and its gateway.
  return n < 254 ? `198.51.100.${n + 2}` : `203.0.113.${n - 254 + 2}`;
}

/** Every public address the account holds: a source NAT one per network, a static NAT one per VM. */
function publicIps(context: CommandContext): SimPublicIp[] {
  const { account } = context;
  const ips: SimPublicIp[] = [];
  for (const { zone, vms } of networkZones(context)) {
    const first = Math.min(...vms.map((vm) => vm.createdAt));
    ips.push({
      id: sourceNatIdOf(account, zone),
      zone,
      address: sourceNatAddress(context, account, zone),
      allocatedAt: first,
    });
    for (const vm of vms) {
      ips.push({ id: publicIpIdOf(vm), zone, address: vm.publicIp, allocatedAt: vm.createdAt, vm });
    }
  }
  return ips;
}

/** An id parameter that must name one of `ids`; a 431 naming the parameter otherwise. */
function idParam(context: CommandContext, name: string, ids: readonly string[]): string | undefined {
  const id = context.params.get(name);
  if (id !== undefined && !ids.includes(id)) throw unknownId(context.command, name, id);
  return id;
}

/** A VM id parameter: any VM the account ever had resolves (an expunged one then matches nothing). */
function vmIdParam(context: CommandContext, name: string): string | undefined {
  const id = context.params.get(name);
  if (id !== undefined && !vmIdResolves(context, id)) throw unknownId(context.command, name, id);
  return id;
}

/** Parameters every one of these lists takes and that change nothing for a user's own resources. */
function ownListParams(context: CommandContext): void {
  // A user's `listall=true` lists what the user may see, which is the user's own account.
  booleanParam(context, 'listall');
  booleanParam(context, 'isrecursive');
  booleanParam(context, 'fordisplay');
}

export const listNetworks: CommandSpec = {
  required: [],
  handle(context) {
    const { account, params } = context;
    ownListParams(context);
    const networks = networkZones(context).map(({ zone }) => zone);
    const id = idParam(
      context,
      'id',
      networks.map((zone) => guestNetworkId(account, zone)),
    );
    const zone = zoneParam(context, 'zoneid');
    const type = params.get('type')?.toLowerCase();
    const trafficType = params.get('traffictype')?.toLowerCase();
    const aclType = params.get('acltype')?.toLowerCase();
    const keyword = params.get('keyword');
    const isSystem = booleanParam(context, 'issystem');
    const forVpc = booleanParam(context, 'forvpc');
    const canUseForDeploy = booleanParam(context, 'canusefordeploy');
    const restartRequired = booleanParam(context, 'restartrequired');
    const matches = networks.filter(
      (each) =>
        (id === undefined || guestNetworkId(account, each) === id) &&
        (!zone || each.id === zone.id) &&
        (type === undefined || type === 'isolated') &&
        (trafficType === undefined || trafficType === 'guest') &&
        (aclType === undefined || aclType === 'account') &&
        (keyword === undefined || like(guestNetworkName(account, each), keyword)) &&
        isSystem !== true &&
        forVpc !== true &&
        canUseForDeploy !== false &&
        restartRequired !== true,
    );
    return listBody(context.command, params, 'network', matches, context.settings.defaultPageSize, (each) =>
      networkView(account, each),
    );
  },
};

export const listPublicIpAddresses: CommandSpec = {
  required: [],
  handle(context) {
    const { account, params } = context;
    ownListParams(context);
    const all = publicIps(context);
    const id = idParam(
      context,
      'id',
      all.map((ip) => ip.id),
    );
    const zone = zoneParam(context, 'zoneid');
    const vmId = vmIdParam(context, 'virtualmachineid');
    const networkId = idParam(
      context,
      'associatednetworkid',
      networkZones(context).map(({ zone: each }) => guestNetworkId(account, each)),
    );
    const address = params.get('ipaddress');
    const keyword = params.get('keyword');
    const isSourceNat = booleanParam(context, 'issourcenat');
    const isStaticNat = booleanParam(context, 'isstaticnat');
    const forLoadBalancing = booleanParam(context, 'forloadbalancing');
    booleanParam(context, 'allocatedonly');
    booleanParam(context, 'forvirtualnetwork');
    const matches = all.filter((ip) => {
      return (
        (id === undefined || ip.id === id) &&
        (!zone || ip.zone.id === zone.id) &&
        (vmId === undefined || ip.vm?.id === vmId) &&
        (networkId === undefined || guestNetworkId(account, ip.zone) === networkId) &&
        (address === undefined || ip.address === address) &&
        (keyword === undefined || like(ip.address, keyword)) &&
        (isSourceNat === undefined || isSourceNat === (ip.vm === undefined)) &&
        (isStaticNat === undefined || isStaticNat === (ip.vm !== undefined)) &&
        // Nothing here balances load.
        forLoadBalancing !== true
      );
    });
    return listBody(
      context.command,
      params,
      'publicipaddress',
      matches,
      context.settings.defaultPageSize,
      (ip) => publicIpView(account, ip),
    );
  },
};

/** listPortForwardingRules: the model holds no rules, so only the filters are checked. */
export const listPortForwardingRules: CommandSpec = {
  required: [],
  handle(context) {
    const { account, params } = context;
    ownListParams(context);
    // No rule exists, so every rule id names nothing.
    idParam(context, 'id', []);
    idParam(context, 'ipaddressid', ipIds(context));
    idParam(
      context,
      'networkid',
      networkZones(context).map(({ zone }) => guestNetworkId(account, zone)),
    );
    return listBody<JsonObject>(
      context.command,
      params,
      'portforwardingrule',
      [],
      context.settings.defaultPageSize,
    );
  },
};

/** listIpForwardingRules: the model holds no rules, so only the filters are checked. */
export const listIpForwardingRules: CommandSpec = {
  required: [],
  handle(context) {
    const { params } = context;
    ownListParams(context);
    idParam(context, 'id', []);
    idParam(context, 'ipaddressid', ipIds(context));
    vmIdParam(context, 'virtualmachineid');
    return listBody<JsonObject>(
      context.command,
      params,
      'ipforwardingrule',
      [],
      context.settings.defaultPageSize,
    );
  },
};

function ipIds(context: CommandContext): string[] {
  return publicIps(context).map((ip) => ip.id);
}
