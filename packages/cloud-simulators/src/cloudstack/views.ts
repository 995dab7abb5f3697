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
    publicipid: derivedUuid('publicip', vm.id),
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
    // The model numbers addresses across 10.0.0.0/8, so the guest network is that whole range.
    netmask: '255.0.0.0',
    gateway: '10.255.255.254',
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
