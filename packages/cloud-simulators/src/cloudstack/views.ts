import type { SimCloud } from '../model/cloud.js';
import type { SimAccount, SimImage, SimKeyPair, SimSize, SimVm, SimZone, VmPhase } from '../model/types.js';
import { formatTzDate } from './dates.js';
import { derivedUuid, ownerFields, ROOT_DOMAIN, userIdOf, userNameOf } from './identity.js';
import type { JsonObject } from './render.js';

/**
 * The model's objects in CloudStack's words and field names (UserVmResponse, TemplateResponse,
 * ZoneResponse, ServiceOfferingResponse, SSHKeyPairResponse, ResourceTagResponse). Absent values
 * are left out rather than sent as null, as CloudStack's JSON serializer does.
 */

/** The VM states CloudStack reports, by model phase. */
export const VM_STATE: Readonly<Record<VmPhase, string>> = Object.freeze({
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  destroyed: 'Destroyed',
  expunging: 'Expunging',
  error: 'Error',
});

/** The resource type CloudStack's tag API uses for VMs. */
export const USER_VM = 'UserVm';

export interface VmViewOptions {
  /** A job still running on the VM: listVirtualMachines shows its id and status. */
  readonly pendingJob?: string | undefined;
  /** Overrides the state, for the result a job recorded when it completed. */
  readonly state?: string | undefined;
}

export function vmView(
  cloud: SimCloud,
  account: SimAccount,
  vm: SimVm,
  options: VmViewOptions = {},
): JsonObject {
  const zone = cloud.zones.find((z) => z.id === vm.zone);
  const image = cloud.images.find((i) => i.id === vm.image);
  const size = cloud.sizes.find((s) => s.id === vm.size);
  const state = options.state ?? VM_STATE[vm.phase];
  const onHost = state === 'Running' || state === 'Stopping' || state === 'Starting';
  const view: JsonObject = {
    id: vm.id,
    name: vm.name,
    displayname: vm.displayName,
    account: account.name,
    userid: userIdOf(account),
    username: userNameOf(account),
    domainid: ROOT_DOMAIN.id,
    domain: ROOT_DOMAIN.name,
    domainpath: ROOT_DOMAIN.path,
    created: formatTzDate(vm.createdAt),
    state,
    haenable: false,
    zoneid: vm.zone,
    zonename: zone?.name ?? vm.zone,
  };
  if (onHost) {
    view.hostid = derivedUuid('host', vm.zone);
    view.hostname = `kvm-${(zone?.name ?? 'zone').toLowerCase()}-01`;
  }
  Object.assign(view, {
    templateid: vm.image,
    templatename: image?.name ?? vm.image,
    templatedisplaytext: image?.description ?? vm.image,
    templatetype: image?.featured === false ? 'USER' : 'BUILTIN',
    passwordenabled: false,
    serviceofferingid: vm.size,
    serviceofferingname: size?.name ?? vm.size,
    cpunumber: size?.cpus ?? 1,
    cpuspeed: size?.cpuSpeedMhz ?? 1000,
    memory: size?.memoryMb ?? 512,
    guestosid: derivedUuid('ostype', image?.os ?? vm.image),
    ostypeid: derivedUuid('ostype', image?.os ?? vm.image),
    osdisplayname: image?.os ?? 'Other (64-bit)',
    rootdeviceid: 0,
    rootdevicetype: 'ROOT',
    securitygroup: [],
    nic: [nicView(account, vm, zone)],
    hypervisor: 'KVM',
    publicipid: publicIpIdOf(vm),
    publicip: vm.publicIp,
    details: {},
    affinitygroup: [],
    displayvm: true,
    isdynamicallyscalable: false,
    tags: tagViews(account, vm),
    hasannotations: false,
  });
  if (vm.keyPair !== undefined) view.keypairs = vm.keyPair;
  if (options.pendingJob !== undefined) {
    view.jobid = options.pendingJob;
    view.jobstatus = 0;
  }
  return view;
}

// The model numbers addresses across 10.0.0.0/8, so the guest network is that whole range.
const GUEST_CIDR = '10.0.0.0/8';
const GUEST_NETMASK = '255.0.0.0';
const GUEST_GATEWAY = '10.255.255.254';

/** The VM's one NIC, on the account's isolated guest network in the zone. */
function nicView(account: SimAccount, vm: SimVm, zone: SimZone | undefined): JsonObject {
  // CloudStack's locally administered MACs start with 02:00; the rest follows the address.
  const mac = [
    '02',
    '00',
    ...vm.privateIp.split('.').map((o) => Number(o).toString(16).padStart(2, '0')),
  ].join(':');
  return {
    id: derivedUuid('nic', vm.id),
    networkid: derivedUuid('network', account.id, vm.zone),
    networkname: `${account.name}-${(zone?.name ?? 'zone').toLowerCase()}-network`,
    netmask: GUEST_NETMASK,
    gateway: GUEST_GATEWAY,
    ipaddress: vm.privateIp,
    isolationuri: 'vlan://1042',
    broadcasturi: 'vlan://1042',
    traffictype: 'Guest',
    type: 'Isolated',
    isdefault: true,
    macaddress: mac,
    deviceid: '0',
    secondaryip: [],
    extradhcpoption: [],
    virtualmachineid: vm.id,
  };
}

export function tagViews(account: SimAccount, vm: SimVm): JsonObject[] {
  return Object.entries(vm.tags).map(([key, value]) => ({
    key,
    value,
    resourcetype: USER_VM,
    resourceid: vm.id,
    ...ownerFields(account),
  }));
}

/** One template in one zone: CloudStack lists a template once per zone it is in. */
export function templateView(image: SimImage, zone: SimZone, account: SimAccount): JsonObject {
  return {
    id: image.id,
    name: image.name,
    displaytext: image.description,
    ispublic: image.featured,
    created: formatTzDate(image.createdAt),
    isready: true,
    passwordenabled: false,
    format: 'QCOW2',
    isfeatured: image.featured,
    crossZones: false,
    ostypeid: derivedUuid('ostype', image.os),
    ostypename: image.os,
    account: image.featured ? 'system' : account.name,
    domain: ROOT_DOMAIN.name,
    domainid: ROOT_DOMAIN.id,
    zoneid: zone.id,
    zonename: zone.name,
    status: 'Download Complete',
    size: image.sizeGb * 1024 ** 3,
    templatetype: image.featured ? 'BUILTIN' : 'USER',
    hypervisor: 'KVM',
    isextractable: false,
    bits: 64,
    details: {},
    sshkeyenabled: false,
    isdynamicallyscalable: false,
    directdownload: false,
    deployasis: false,
    requireshvm: true,
    tags: [],
  };
}

export function zoneView(zone: SimZone): JsonObject {
  return {
    id: zone.id,
    name: zone.name,
    networktype: 'Advanced',
    securitygroupsenabled: false,
    allocationstate: 'Enabled',
    zonetoken: derivedUuid('zonetoken', zone.id),
    dhcpprovider: 'VirtualRouter',
    localstorageenabled: false,
    tags: [],
    hasannotations: false,
    type: 'Core',
  };
}

export function offeringView(size: SimSize, created: number): JsonObject {
  return {
    id: size.id,
    name: size.name,
    displaytext: size.description,
    cpunumber: size.cpus,
    cpuspeed: size.cpuSpeedMhz,
    memory: size.memoryMb,
    created: formatTzDate(created),
    storagetype: 'shared',
    provisioningtype: 'thin',
    offerha: false,
    limitcpuuse: false,
    isvolatile: false,
    issystem: false,
    defaultuse: false,
    iscustomized: false,
    cacheMode: 'none',
    dynamicscalingenabled: true,
    diskofferingstrictness: false,
    hasannotations: false,
  };
}

export function keyPairView(pair: SimKeyPair, account: SimAccount): JsonObject {
  return {
    id: derivedUuid('keypair', account.id, pair.name),
    name: pair.name,
    fingerprint: pair.fingerprint,
    ...ownerFields(account),
  };
}

/** The id of the account's isolated guest network in a zone, as the VMs' NICs name it. */
export function guestNetworkId(account: SimAccount, zone: SimZone): string {
  return derivedUuid('network', account.id, zone.id);
}

export function guestNetworkName(account: SimAccount, zone: SimZone): string {
  return `${account.name}-${zone.name.toLowerCase()}-network`;
}

/** The network domain CloudStack gives an account's guest networks (`guest.domain.suffix`). */
function networkDomain(account: SimAccount): string {
  return `cs${account.name.toLowerCase()}cloud.internal`;
}

/** The default offering CloudStack creates an account's first isolated network from. */
const ISOLATED_OFFERING = Object.freeze({
  id: derivedUuid('networkoffering', 'DefaultIsolatedNetworkOfferingWithSourceNatService'),
  name: 'DefaultIsolatedNetworkOfferingWithSourceNatService',
  displaytext: 'Offering for Isolated networks with Source Nat service enabled',
});

/** The services of that offering, all provided by the virtual router. */
const ISOLATED_SERVICES = [
  'Dhcp',
  'Dns',
  'Firewall',
  'Gateway',
  'Lb',
  'PortForwarding',
  'SourceNat',
  'StaticNat',
  'UserData',
  'Vpn',
];

/** NetworkResponse of an account's isolated guest network, implemented (its router runs). */
export function networkView(account: SimAccount, zone: SimZone): JsonObject {
  const name = guestNetworkName(account, zone);
  return {
    id: guestNetworkId(account, zone),
    name,
    displaytext: name,
    broadcastdomaintype: 'Vlan',
    traffictype: 'Guest',
    gateway: GUEST_GATEWAY,
    netmask: GUEST_NETMASK,
    cidr: GUEST_CIDR,
    zoneid: zone.id,
    zonename: zone.name,
    networkofferingid: ISOLATED_OFFERING.id,
    networkofferingname: ISOLATED_OFFERING.name,
    networkofferingdisplaytext: ISOLATED_OFFERING.displaytext,
    networkofferingconservemode: true,
    networkofferingavailability: 'Required',
    issystem: false,
    state: 'Implemented',
    related: guestNetworkId(account, zone),
    dns1: GUEST_GATEWAY,
    type: 'Isolated',
    acltype: 'Account',
    ...ownerFields(account),
    service: ISOLATED_SERVICES.map((service) => ({ name: service, provider: [{ name: 'VirtualRouter' }] })),
    networkdomain: networkDomain(account),
    physicalnetworkid: derivedUuid('physicalnetwork', zone.id),
    restartrequired: false,
    specifyipranges: false,
    canusefordeploy: true,
    ispersistent: false,
    tags: [],
    details: {},
    displaynetwork: true,
    isdefault: true,
    redundantrouter: false,
    supportsvmautoscaling: true,
    hasannotations: false,
  };
}

/**
 * A public address the account holds in a zone: the source NAT address of its guest network
 * there (no `vm`), or the static NAT address of one of its VMs.
 */
export interface SimPublicIp {
  readonly id: string;
  readonly zone: SimZone;
  readonly address: string;
  /** Epoch ms. */
  readonly allocatedAt: number;
  readonly vm?: SimVm | undefined;
}

/** The id of a VM's static NAT address, as listVirtualMachines shows it in `publicipid`. */
export function publicIpIdOf(vm: SimVm): string {
  return derivedUuid('publicip', vm.id);
}

/** The id of the source NAT address of the account's guest network in a zone. */
export function sourceNatIdOf(account: SimAccount, zone: SimZone): string {
  return derivedUuid('sourcenat', account.id, zone.id);
}

/** IPAddressResponse. */
export function publicIpView(account: SimAccount, ip: SimPublicIp): JsonObject {
  const view: JsonObject = {
    id: ip.id,
    ipaddress: ip.address,
    allocated: formatTzDate(ip.allocatedAt),
    zoneid: ip.zone.id,
    zonename: ip.zone.name,
    issourcenat: ip.vm === undefined,
    ...ownerFields(account),
    forvirtualnetwork: true,
    vlanid: derivedUuid('vlan', ip.zone.id),
    vlanname: 'vlan://untagged',
    isstaticnat: ip.vm !== undefined,
    issystem: false,
  };
  if (ip.vm !== undefined) {
    Object.assign(view, {
      virtualmachineid: ip.vm.id,
      virtualmachinename: ip.vm.name,
      virtualmachinedisplayname: ip.vm.displayName,
      virtualmachinetype: 'User',
      vmipaddress: ip.vm.privateIp,
    });
  }
  Object.assign(view, {
    associatednetworkid: guestNetworkId(account, ip.zone),
    associatednetworkname: guestNetworkName(account, ip.zone),
    networkid: derivedUuid('publicnetwork', ip.zone.id),
    state: 'Allocated',
    physicalnetworkid: derivedUuid('physicalnetwork', ip.zone.id),
    tags: [],
    isportable: false,
    fordisplay: true,
    hasannotations: false,
  });
  return view;
}
