import type { SimImage, SimVm } from '../model/types.js';
import type { Caller } from './access.js';
import type { OpenNebulaNetworkSpec } from './catalog.js';
import { allocationFailed } from './errors.js';
import {
  isVector,
  single,
  singleValue,
  type Template,
  type TemplateAttribute,
  type VectorAttribute,
  vectors,
} from './template.js';

/**
 * From a VM template (merged with what the instantiation added) to a VM's two templates, as oned
 * allocates a VM: the checks VirtualMachine::insert makes (name, MEMORY, CPU, VCPU, the NICs'
 * networks, the DISKs' images), then TEMPLATE — the attributes oned moves there (CPU, VCPU,
 * MEMORY, DISK, NIC, CONTEXT, OS, GRAPHICS…) completed as oned completes them (disk and NIC ids,
 * leases, context variables) — and USER_TEMPLATE, everything else (DESCRIPTION, LOGO,
 * SCHED_REQUIREMENTS, the caller's own attributes).
 */

/** The attributes oned keeps in a VM's TEMPLATE; any other goes to its USER_TEMPLATE. */
const VM_TEMPLATE_NAMES: ReadonlySet<string> = new Set([
  'CPU',
  'VCPU',
  'VCPU_MAX',
  'MEMORY',
  'MEMORY_MAX',
  'MEMORY_SLOTS',
  'MEMORY_RESIZE_MODE',
  'CPU_COST',
  'MEMORY_COST',
  'DISK_COST',
  'CPU_MODEL',
  'EMULATOR',
  'OS',
  'DISK',
  'NIC',
  'NIC_ALIAS',
  'NIC_DEFAULT',
  'PCI',
  'CONTEXT',
  'GRAPHICS',
  'VIDEO',
  'INPUT',
  'FEATURES',
  'RAW',
  'CLONING_TEMPLATE_ID',
  'TOPOLOGY',
  'NUMA_NODE',
  'HYPERV_OPTIONS',
  'SPICE_OPTIONS',
  'VMGROUP',
  'SUBMIT_ON_HOLD',
  'SCHED_ACTION',
]);

/** Attributes oned drops from what it stores: it sets its own. */
const REPLACED_NAMES: ReadonlySet<string> = new Set(['NAME', 'TEMPLATE_NAME', 'TEMPLATE_ID', 'VMID']);

/** The characters oned refuses in object names (PoolObjectSQL::INVALID_NAME_CHARS). */
const INVALID_NAME_CHARS = '&|:\\";/\'#{}$<>\t\n\v\f\r';

/** An image as oned's templates refer to it: by id, or by name and owner. */
export interface ImageRecord {
  readonly id: number;
  readonly image: SimImage;
  readonly uid: number;
  readonly uname: string;
}

/** A network and its owner, for NICs by name. */
export interface NetworkRecord extends OpenNebulaNetworkSpec {
  readonly uid: number;
  readonly uname: string;
}

export interface AllocationContext {
  readonly owner: Caller;
  readonly images: readonly ImageRecord[];
  readonly networks: readonly NetworkRecord[];
  /** Owners' ids by name, for NETWORK_UNAME and IMAGE_UNAME. */
  readonly uidOf: (uname: string) => number | undefined;
}

/** A VM that passed oned's checks, before the model has given it addresses. */
export interface VmPlan {
  readonly name: string;
  readonly cpu: string;
  readonly vcpu: string | undefined;
  readonly memory: string;
  readonly nics: readonly { readonly nic: VectorAttribute; readonly network: NetworkRecord | undefined }[];
  readonly disks: readonly { readonly disk: VectorAttribute; readonly image: ImageRecord | undefined }[];
  /** Every other attribute, as merged. */
  readonly rest: readonly TemplateAttribute[];
}

const POSITIVE_FLOAT = /^\s*[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const POSITIVE_INTEGER = /^\s*[+]?\d+\s*$/;

/**
 * oned's allocation checks, in its order; a failure is the ALLOCATE error oned answers
 * ("Error allocating a new virtual machine template. …": the instantiate call's object).
 * `defaultName` is what the VM is called when no name is given (`<template name>-<id>`).
 */
export function planVm(
  template: Template,
  name: string,
  defaultName: string,
  context: AllocationContext,
): VmPlan {
  const refuse = (reason: string) => allocationFailed('virtual machine template', reason);
  const vmName = name === '' ? defaultName : name;
  if (vmName.length > 128) throw refuse('Invalid NAME, max length is 128 chars');
  const invalid = [...vmName].find((char) => INVALID_NAME_CHARS.includes(char));
  if (invalid !== undefined) throw refuse(`Invalid NAME, char '${invalid}' is not allowed`);

  const memory = singleValue(template, 'MEMORY');
  if (memory === undefined || !POSITIVE_INTEGER.test(memory) || Number(memory) <= 0) {
    throw refuse('MEMORY attribute must be a positive integer value.');
  }
  const cpu = singleValue(template, 'CPU');
  if (cpu === undefined || !POSITIVE_FLOAT.test(cpu) || Number(cpu) <= 0) {
    throw refuse('CPU attribute must be a positive float or integer value.');
  }
  const vcpu = singleValue(template, 'VCPU');
  if (vcpu !== undefined && vcpu !== '' && (!POSITIVE_INTEGER.test(vcpu) || Number(vcpu) <= 0)) {
    throw refuse('VCPU attribute must be a positive integer value.');
  }

  const nics = vectors(template, 'NIC').map((nic) => ({ nic, network: networkOf(nic, context, refuse) }));
  const disks = vectors(template, 'DISK').map((disk) => ({ disk, image: imageOf(disk, context, refuse) }));
  return {
    name: vmName,
    cpu: String(Number(cpu)),
    vcpu: vcpu === undefined || vcpu === '' ? undefined : String(Number(vcpu)),
    memory: String(Number.parseInt(memory, 10)),
    nics,
    disks,
    rest: template.filter((attribute) => !['CPU', 'VCPU', 'MEMORY', 'NIC', 'DISK'].includes(attribute.name)),
  };
}

/** The owner a NIC or DISK names with *_UID or *_UNAME, else the VM's owner. */
function ownerOf(
  attribute: VectorAttribute,
  prefix: 'NETWORK' | 'IMAGE',
  context: AllocationContext,
): number | undefined {
  const uid = attribute.vector.get(`${prefix}_UID`);
  if (uid !== undefined && uid !== '') return /^\d+$/.test(uid.trim()) ? Number(uid) : undefined;
  const uname = attribute.vector.get(`${prefix}_UNAME`);
  if (uname !== undefined && uname !== '') return context.uidOf(uname);
  return context.owner.uid;
}

function networkOf(
  nic: VectorAttribute,
  context: AllocationContext,
  refuse: (reason: string) => Error,
): NetworkRecord | undefined {
  const id = nic.vector.get('NETWORK_ID');
  if (id !== undefined && id !== '') {
    const network = /^\s*\d+/.test(id)
      ? context.networks.find((n) => n.id === Number.parseInt(id, 10))
      : undefined;
    if (!network) throw refuse(`Virtual network with ID: ${id} does not exist`);
    return network;
  }
  const name = nic.vector.get('NETWORK');
  if (name === undefined || name === '') return undefined;
  const uid = ownerOf(nic, 'NETWORK', context);
  if (uid === undefined) {
    throw refuse(
      nic.vector.get('NETWORK_UID')
        ? 'Cannot get user in NETWORK_UID'
        : 'User set in NETWORK_UNAME does not exist',
    );
  }
  const network = context.networks.find((n) => n.name === name && n.uid === uid);
  if (!network) {
    throw refuse(
      `User ${uid} does not own a network with name: ${name} . Set NETWORK_UNAME or NETWORK_UID of owner in NIC.`,
    );
  }
  return network;
}

function imageOf(
  disk: VectorAttribute,
  context: AllocationContext,
  refuse: (reason: string) => Error,
): ImageRecord | undefined {
  const id = disk.vector.get('IMAGE_ID');
  if (id !== undefined && id !== '') {
    const image = /^\s*\d+/.test(id)
      ? context.images.find((i) => i.id === Number.parseInt(id, 10))
      : undefined;
    if (!image) throw refuse(`Image with ID: ${id} does not exist`);
    return image;
  }
  const name = disk.vector.get('IMAGE');
  if (name === undefined || name === '') return undefined;
  const uid = ownerOf(disk, 'IMAGE', context);
  const image = context.images.find((i) => i.image.name === name && i.uid === uid);
  if (!image) {
    throw refuse(
      `User ${uid ?? -1} does not own an image with name: ${name} . Set IMAGE_UNAME or IMAGE_UID of owner in DISK.`,
    );
  }
  return image;
}

/** The model image a VM runs: its first disk's, else the template's own. */
export function bootImage(plan: VmPlan): ImageRecord | undefined {
  return plan.disks.find((entry) => entry.image)?.image;
}

/** OpenNebula derives a lease's MAC from its IPv4 address, behind the 02:00 prefix. */
export function macOf(ip: string): string {
  const octets = ip.split('.').map((part) => Number(part).toString(16).padStart(2, '0'));
  return ['02', '00', ...octets].join(':');
}

const NETWORK_OF_KIND = {
  public: { mask: '255.254.0.0', address: '198.18.0.0' },
  private: { mask: '255.0.0.0', address: '10.0.0.0' },
} as const;

export interface VmTemplates {
  readonly template: TemplateAttribute[];
  readonly userTemplate: TemplateAttribute[];
}

/**
 * A VM's TEMPLATE and USER_TEMPLATE once allocated: leases from the model's VM (a network of kind
 * public hands out its public address, a private one its private address), disks with their
 * targets, the context with oned's additions, and oned's own attributes.
 */
export function vmTemplates(
  plan: VmPlan,
  vmId: number,
  templateId: number | undefined,
  vm: Pick<SimVm, 'publicIp' | 'privateIp'>,
  owner: ContextOwner,
): VmTemplates {
  const template: TemplateAttribute[] = [
    single('AUTOMATIC_DS_REQUIREMENTS', '("CLUSTERS/ID" @> 0)'),
    single('AUTOMATIC_NIC_REQUIREMENTS', '("CLUSTERS/ID" @> 0)'),
    single('AUTOMATIC_REQUIREMENTS', '(CLUSTER_ID = 0) & !(PUBLIC_CLOUD = YES) & !(PIN_POLICY = PINNED)'),
    single('CPU', plan.cpu),
    single('MEMORY', plan.memory),
    single('TM_MAD_SYSTEM', 'ssh'),
    single('VMID', String(vmId)),
  ];
  if (plan.vcpu !== undefined) template.push(single('VCPU', plan.vcpu));
  if (templateId !== undefined) template.push(single('TEMPLATE_ID', String(templateId)));

  const disks = plan.disks.map(({ disk, image }, index) => diskAttribute(disk, image, index));
  const nics = plan.nics.map(({ nic, network }, index) => nicAttribute(nic, network, index, vmId, vm));
  template.push(...disks, ...nics);

  const userTemplate: TemplateAttribute[] = [];
  for (const attribute of plan.rest) {
    if (REPLACED_NAMES.has(attribute.name)) continue;
    if (attribute.name === 'CONTEXT') continue;
    if (attribute.name === 'GRAPHICS' && isVector(attribute)) {
      template.push({
        name: 'GRAPHICS',
        vector: new Map([...attribute.vector, ['PORT', String(5900 + vmId)]]),
      });
    } else if (VM_TEMPLATE_NAMES.has(attribute.name)) {
      template.push(attribute);
    } else {
      userTemplate.push(attribute);
    }
  }
  const context = plan.rest.find(
    (attribute): attribute is VectorAttribute => attribute.name === 'CONTEXT' && isVector(attribute),
  );
  if (context) {
    const variables = { ...owner, vmId, vmName: plan.name };
    template.push(contextAttribute(context, disks.length, nics, variables));
  }
  return { template, userTemplate };
}

function diskAttribute(
  disk: VectorAttribute,
  image: ImageRecord | undefined,
  index: number,
): VectorAttribute {
  const values = new Map(disk.vector);
  values.set('DISK_ID', String(index));
  values.set('TARGET', values.get('TARGET') || `vd${String.fromCharCode(97 + index)}`);
  if (image) {
    const size = String(image.image.sizeGb * 1024);
    values.set('IMAGE', image.image.name);
    values.set('IMAGE_ID', String(image.id));
    values.set('IMAGE_UNAME', image.uname);
    values.set('IMAGE_STATE', '2');
    values.set('CLONE', 'YES');
    values.set('CLONE_TARGET', 'SYSTEM');
    values.set('DATASTORE', 'default');
    values.set('DATASTORE_ID', '1');
    values.set('DEV_PREFIX', 'vd');
    values.set('DISK_SNAPSHOT_TOTAL_SIZE', '0');
    values.set('DISK_TYPE', 'FILE');
    values.set('DRIVER', 'qcow2');
    values.set('LN_TARGET', 'NONE');
    values.set('ORIGINAL_SIZE', size);
    values.set('READONLY', 'NO');
    values.set('SAVE', 'NO');
    values.set('SIZE', values.get('SIZE') || size);
    values.set('SOURCE', `/var/lib/one//datastores/1/${image.image.id}`);
    values.set('TM_MAD', 'ssh');
    values.set('TYPE', 'FILE');
  }
  return { name: 'DISK', vector: values };
}

function nicAttribute(
  nic: VectorAttribute,
  network: NetworkRecord | undefined,
  index: number,
  vmId: number,
  vm: Pick<SimVm, 'publicIp' | 'privateIp'>,
): VectorAttribute {
  const values = new Map(nic.vector);
  values.set('NIC_ID', String(index));
  values.set('NAME', `NIC${index}`);
  if (network) {
    const ip = network.kind === 'public' ? vm.publicIp : vm.privateIp;
    values.set('AR_ID', '0');
    values.set('BRIDGE', `onebr${network.id}`);
    values.set('BRIDGE_TYPE', 'linux');
    values.set('CLUSTER_ID', '0');
    values.set('IP', ip);
    values.set('MAC', macOf(ip));
    values.set('NETWORK', network.name);
    values.set('NETWORK_ID', String(network.id));
    values.set('NETWORK_UNAME', network.uname);
    values.set('SECURITY_GROUPS', values.get('SECURITY_GROUPS') || '0');
    values.set('TARGET', `one-${vmId}-${index}`);
    values.set('VN_MAD', 'bridge');
  }
  return { name: 'NIC', vector: values };
}

/**
 * The context as oned completes it: variables resolved ($UNAME, $UID, $GNAME, $GID, $NAME,
 * $VMID, $USER[…] from the owner's template, which has none here), the network variables of each
 * NIC (ETH<n>_IP, ETH<n>_MAC…) when NETWORK="YES", and the context disk's DISK_ID and TARGET.
 */
function contextAttribute(
  context: VectorAttribute,
  diskCount: number,
  nics: readonly VectorAttribute[],
  variables: ContextOwner & { readonly vmId: number; readonly vmName: string },
): VectorAttribute {
  const values = new Map<string, string>();
  for (const [key, value] of context.vector) values.set(key, resolveVariables(value, variables));
  if ((values.get('NETWORK') ?? '').toUpperCase() === 'YES') {
    for (const nic of nics) {
      const id = nic.vector.get('NIC_ID') ?? '0';
      const ip = nic.vector.get('IP') ?? '';
      const kind = ip.startsWith('10.') ? NETWORK_OF_KIND.private : NETWORK_OF_KIND.public;
      const prefix = `ETH${id}_`;
      values.set(`${prefix}IP`, ip);
      values.set(`${prefix}MAC`, nic.vector.get('MAC') ?? '');
      values.set(`${prefix}MASK`, ip ? kind.mask : '');
      values.set(`${prefix}NETWORK`, ip ? kind.address : '');
      for (const empty of [
        'DNS',
        'EXTERNAL',
        'GATEWAY',
        'METHOD',
        'METRIC',
        'MTU',
        'SEARCH_DOMAIN',
        'VLAN_ID',
      ]) {
        values.set(`${prefix}${empty}`, '');
      }
    }
  }
  values.set('DISK_ID', String(diskCount));
  values.set('TARGET', 'hda');
  return { name: 'CONTEXT', vector: values };
}

/** Who a context's variables speak of: the VM's owner. */
export type ContextOwner = Pick<Caller, 'uid' | 'uname' | 'gid' | 'gname'>;

const CONTEXT_VARIABLE = /\$(USER\[[A-Za-z0-9_]+\]|UNAME|UID|GNAME|GID|NAME|VMID)/g;

/** $USER[…] reads the owner's user template, which holds nothing here: it resolves to "". */
function resolveVariables(
  value: string,
  variables: ContextOwner & { readonly vmId: number; readonly vmName: string },
): string {
  return value.replace(CONTEXT_VARIABLE, (_, variable: string) => {
    switch (variable) {
      case 'UNAME':
        return variables.uname;
      case 'UID':
        return String(variables.uid);
      case 'GNAME':
        return variables.gname;
      case 'GID':
        return String(variables.gid);
      case 'NAME':
        return variables.vmName;
      case 'VMID':
        return String(variables.vmId);
      default:
        return '';
    }
  });
}
