import { randomBytes, randomUUID } from 'node:crypto';
import { SimError } from '../model/errors.js';
import type { SimAccount } from '../model/types.js';
import { macAddressOf } from './catalog.js';
import { badRequest, duplicateName, fromSimError, noSuchEntity, VcloudError } from './errors.js';
import { uuidIn } from './hrefs.js';
import {
  type Customization,
  computerNameOf,
  type Inventory,
  type IpMode,
  type NetworkRecord,
  type NicRecord,
  type TemplateRecord,
  type VAppRecord,
  type VdcRecord,
} from './inventory.js';
import type { TaskRecord } from './tasks.js';
import { attrOf, booleanOf, child, childList, textOf, type XmlNode } from './xml.js';

/**
 * `POST /api/vdc/<id>/action/instantiateVAppTemplate` with an InstantiateVAppTemplateParams: a vApp
 * from a template, named by the `name` attribute, with its Description, the vApp networks of the
 * InstantiationParams' NetworkConfigSection (each bridged to an org VDC network, its ParentNetwork),
 * and per template VM (SourcedItem) its name (VmGeneralParams), NetworkConnectionSection (the NIC's
 * vApp network and IpAddressAllocationMode POOL, DHCP, MANUAL or NONE), GuestCustomizationSection
 * (ComputerName, CustomizationScript, admin password) and hardware (VmSpecSection NumCpus and
 * MemoryResourceMb, or an ovf:VirtualHardwareSection's CPU and memory items). `deploy` and
 * `powerOn` default to true. The answer is 201 with the new VApp, status 0 (UNRESOLVED), holding
 * the running instantiate task.
 */

export interface InstantiatePlan {
  readonly name: string;
  readonly description: string;
  readonly powerOn: boolean;
  readonly template: TemplateRecord;
  readonly vmName: string;
  readonly vmDescription: string;
  readonly cpus: number;
  readonly coresPerSocket: number;
  readonly memoryMb: number;
  readonly nic: Omit<NicRecord, 'mac'> | undefined;
  readonly customization: Customization;
}

const IP_MODES: readonly IpMode[] = ['POOL', 'DHCP', 'MANUAL', 'NONE'];

/** vCD's limit on entity names. */
const MAX_NAME_LENGTH = 128;

export function planInstantiation(params: XmlNode, vdc: VdcRecord, inventory: Inventory): InstantiatePlan {
  const name = attrOf(params, 'name');
  if (name === undefined || name.trim() === '') {
    throw badRequest('Bad request: the InstantiateVAppTemplateParams has no name.');
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw badRequest(`The name "${name.slice(0, 32)}…" is longer than ${MAX_NAME_LENGTH} characters.`);
  }
  const deploy = booleanOf(attrOf(params, 'deploy')) ?? true;
  const powerOn = deploy && (booleanOf(attrOf(params, 'powerOn')) ?? true);

  const sourceHref = attrOf(child(params, 'Source'), 'href');
  if (sourceHref === undefined) throw badRequest('Bad request: the Source of the vApp template is missing.');
  const template = templateOf(sourceHref, inventory);

  // vApp networks: name → the org VDC network it bridges to.
  const vappNetworks = new Map<string, NetworkRecord>();
  const instantiation = child(params, 'InstantiationParams');
  for (const config of childList(child(instantiation, 'NetworkConfigSection'), 'NetworkConfig')) {
    const networkName = attrOf(config, 'networkName');
    if (networkName === undefined) throw badRequest('Bad request: a NetworkConfig has no networkName.');
    const parent = child(child(config, 'Configuration'), 'ParentNetwork');
    const parentHref = attrOf(parent, 'href');
    const parentName = attrOf(parent, 'name');
    const network = vdc.network;
    const named =
      parentHref !== undefined
        ? uuidIn(parentHref) === network.id
        : parentName !== undefined && parentName === network.name;
    if (!named) {
      const reference = parentHref ?? parentName;
      if (reference === undefined)
        throw badRequest(`Bad request: the vApp network "${networkName}" has no ParentNetwork.`);
      const other = inventory.vdcs.find((candidate) => candidate.network.id === uuidIn(reference));
      if (other) {
        throw badRequest(`The network "${other.network.name}" is not available in VDC "${vdc.name}".`);
      }
      throw noSuchEntity('network', uuidIn(reference) ?? reference);
    }
    vappNetworks.set(networkName, network);
  }

  const items = childList(params, 'SourcedItem');
  for (const item of items) {
    const itemHref = attrOf(child(item, 'Source'), 'href');
    const vmId = itemHref === undefined ? undefined : uuidIn(itemHref);
    if (vmId !== template.vmId && vmId !== template.id) {
      throw badRequest(
        `The SourcedItem ${itemHref ?? '(no Source)'} is not a VM of vApp template "${template.name}".`,
      );
    }
  }
  const item = items[0];
  const general = child(item, 'VmGeneralParams');
  const vmName = textOf(general, 'Name')?.trim() || template.vmName;
  const vmDescription = textOf(general, 'Description') ?? '';
  const vmParams = child(item, 'InstantiationParams');

  const hardware = hardwareOf(vmParams, template);
  const nic = nicOf(vmParams, vappNetworks);
  const customization = customizationOf(child(vmParams, 'GuestCustomizationSection'), vmName);

  return {
    name,
    description: textOf(params, 'Description') ?? '',
    powerOn,
    template,
    vmName,
    vmDescription,
    ...hardware,
    nic,
    customization,
  };
}

function templateOf(href: string, inventory: Inventory): TemplateRecord {
  const id = uuidIn(href);
  if (id === undefined || !/\/vAppTemplate\/vappTemplate-/i.test(href)) {
    throw badRequest(`Bad request: "${href}" is not a reference to a vApp template.`);
  }
  const template = inventory.template(id);
  if (!template) throw noSuchEntity('vappTemplate', id);
  return template;
}

function positive(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1)
    throw badRequest(`Bad request: ${what} must be a positive whole number; got "${text}".`);
  return value;
}

function hardwareOf(
  vmParams: XmlNode | undefined,
  template: TemplateRecord,
): { cpus: number; coresPerSocket: number; memoryMb: number } {
  const spec = child(vmParams, 'VmSpecSection');
  let cpus = positive(textOf(spec, 'NumCpus'), 'NumCpus');
  const coresPerSocket = positive(textOf(spec, 'NumCoresPerSocket'), 'NumCoresPerSocket');
  let memoryMb = positive(textOf(child(spec, 'MemoryResourceMb'), 'Configured'), 'MemoryResourceMb');
  for (const item of childList(child(vmParams, 'VirtualHardwareSection'), 'Item')) {
    const type = textOf(item, 'ResourceType')?.trim();
    if (type === '3') cpus ??= positive(textOf(item, 'VirtualQuantity'), 'the CPU VirtualQuantity');
    if (type === '4') memoryMb ??= positive(textOf(item, 'VirtualQuantity'), 'the memory VirtualQuantity');
  }
  cpus ??= template.cpus;
  memoryMb ??= template.memoryMb;
  if (memoryMb % 4 !== 0)
    throw badRequest(`Bad request: the memory size ${memoryMb} MB is not a multiple of 4 MB.`);
  const cores = coresPerSocket ?? 1;
  if (cpus % cores !== 0) {
    throw badRequest(`Bad request: ${cpus} CPUs cannot be split into sockets of ${cores} cores.`);
  }
  return { cpus, coresPerSocket: cores, memoryMb };
}

function nicOf(
  vmParams: XmlNode | undefined,
  vappNetworks: ReadonlyMap<string, NetworkRecord>,
): Omit<NicRecord, 'mac'> | undefined {
  const section = child(vmParams, 'NetworkConnectionSection');
  const connections = childList(section, 'NetworkConnection');
  const primary = textOf(section, 'PrimaryNetworkConnectionIndex')?.trim() ?? '0';
  const connection =
    connections.find(
      (candidate) => (textOf(candidate, 'NetworkConnectionIndex')?.trim() ?? '0') === primary,
    ) ?? connections[0];
  if (!connection) {
    // Without a NetworkConnectionSection the template's NIC joins the one vApp network, if there is one.
    const [only] = [...vappNetworks];
    return only === undefined || vappNetworks.size !== 1
      ? undefined
      : { network: only[0], orgNetworkId: only[1].id, mode: 'POOL', manualIp: undefined, connected: true };
  }
  const network = attrOf(connection, 'network');
  if (network === undefined || network === 'none') return undefined;
  const target = vappNetworks.get(network);
  if (target === undefined) {
    throw badRequest(
      `The VM network connection refers to "${network}", which is not a vApp network of this request.`,
    );
  }
  const modeText = (textOf(connection, 'IpAddressAllocationMode')?.trim() ?? 'POOL').toUpperCase();
  if (!(IP_MODES as readonly string[]).includes(modeText)) {
    throw badRequest(
      `Bad request: "${modeText}" is not an IpAddressAllocationMode (POOL, DHCP, MANUAL, NONE).`,
    );
  }
  const mode = modeText as IpMode;
  const manualIp = textOf(connection, 'IpAddress')?.trim();
  if (mode === 'MANUAL' && !manualIp) {
    throw badRequest('Bad request: the MANUAL IpAddressAllocationMode needs an IpAddress.');
  }
  return {
    network,
    orgNetworkId: target.id,
    mode,
    manualIp: mode === 'MANUAL' ? manualIp : undefined,
    connected: booleanOf(textOf(connection, 'IsConnected')) ?? true,
  };
}

function customizationOf(section: XmlNode | undefined, vmName: string): Customization {
  const computerName = textOf(section, 'ComputerName')?.trim() || computerNameOf(vmName);
  if (computerName.length > 63 || !/^[A-Za-z0-9-]+$/.test(computerName)) {
    throw badRequest(
      `Bad request: the computer name "${computerName}" may have letters, digits and hyphens only, at most 63 characters.`,
    );
  }
  const adminPassword = textOf(section, 'AdminPassword');
  const passwordEnabled = booleanOf(textOf(section, 'AdminPasswordEnabled')) ?? adminPassword !== undefined;
  const passwordAuto =
    booleanOf(textOf(section, 'AdminPasswordAuto')) ?? (passwordEnabled && adminPassword === undefined);
  return {
    enabled: booleanOf(textOf(section, 'Enabled')) ?? true,
    computerName,
    script: textOf(section, 'CustomizationScript'),
    adminPasswordEnabled: passwordEnabled,
    adminPasswordAuto: passwordAuto,
    adminPassword: passwordEnabled
      ? (adminPassword ?? (passwordAuto ? generatedPassword() : undefined))
      : undefined,
    resetPasswordRequired: booleanOf(textOf(section, 'ResetPasswordRequired')) ?? false,
  };
}

/** What vCD generates for AdminPasswordAuto: eight characters of letters, digits and symbols. */
function generatedPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789#%@$';
  return [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * Creates the vApp: checks the name is free in the VDC, has the model create the VM (quota there),
 * and records the vApp with its running instantiate task.
 */
export function instantiate(
  plan: InstantiatePlan,
  vdc: VdcRecord,
  account: SimAccount,
  inventory: Inventory,
): { vapp: VAppRecord; task: TaskRecord } {
  const taken = inventory.vapps().some((vapp) => vapp.vdcId === vdc.id && vapp.name === plan.name);
  if (taken) throw duplicateName(plan.name);
  const { cloud } = inventory;
  const zone = cloud.zones[0];
  const size =
    cloud.sizes.find((candidate) => candidate.cpus === plan.cpus && candidate.memoryMb === plan.memoryMb) ??
    cloud.sizes[0];
  if (!zone || !size)
    throw new VcloudError(500, 'INTERNAL_SERVER_ERROR', 'The provider VDC has no capacity configured.');
  let created: ReturnType<typeof cloud.createVm>;
  try {
    created = cloud.createVm(
      account.id,
      {
        name: plan.name,
        displayName: plan.vmName,
        zone: zone.id,
        image: plan.template.image.id,
        size: size.id,
        userData:
          plan.customization.script === undefined
            ? undefined
            : Buffer.from(plan.customization.script, 'utf8').toString('base64'),
      },
      'instantiateVAppTemplate',
    );
  } catch (error) {
    if (error instanceof SimError) throw fromSimError(error, account.key, account.vmLimit);
    throw error;
  }
  const id = randomUUID();
  const vmId = randomUUID();
  const task = inventory.tasks.add({
    account: account.id,
    userName: account.key,
    operationName: 'vdcInstantiateVapp',
    operation: `Creating Virtual Application ${plan.name}(${id})`,
    owner: { kind: 'vApp', id, name: plan.name },
    completesAt: created.operation.completesAt,
    modelOperation: created.operation.id,
  });
  const vapp = inventory.addVApp({
    id,
    vmId,
    modelVmId: created.vm.id,
    account: account.id,
    ownerName: account.key,
    vdcId: vdc.id,
    name: plan.name,
    description: plan.description,
    vmName: plan.vmName,
    vmDescription: plan.vmDescription,
    templateId: plan.template.id,
    cpus: plan.cpus,
    coresPerSocket: plan.coresPerSocket,
    memoryMb: plan.memoryMb,
    diskMb: plan.template.diskMb,
    guestOs: plan.template.guestOs,
    nic: plan.nic ? { ...plan.nic, mac: macAddressOf(vmId) } : undefined,
    customization: plan.customization,
    metadata: new Map(),
    vmMetadata: new Map(),
    createdAt: created.vm.createdAt,
    creationTask: task.id,
    tasks: [task.id],
    heldOff: plan.powerOn ? undefined : { until: undefined },
    suspended: false,
    deployedWhileOff: false,
  });
  return { vapp, task };
}
