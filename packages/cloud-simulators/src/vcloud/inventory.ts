import { randomUUID } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import type { SimAccount, SimImage, SimVm } from '../model/types.js';
import { type GuestOs, guestOsOf, macAddressOf, stableUuid, VCLOUD_DEFAULTS } from './catalog.js';
import { type PowerOverlay, type PowerState, powerState } from './states.js';
import type { Tasks } from './tasks.js';

/**
 * What vCD knows beyond the shared model: the organization, its VDCs and their networks, the
 * catalog and its vApp templates (one per model image, each with one VM), and every vApp — one per
 * model VM, with the VM inside it, its hardware, NIC, guest customization, metadata and tasks. VMs
 * the model got another way (seeded for a benchmark) become one-VM vApps in the default VDC the
 * first time a call looks.
 */

export interface NetworkRecord {
  readonly id: string;
  readonly name: string;
  readonly vdcId: string;
  /** natRouted for the default VDC's network, isolated for the second's. */
  readonly fenceMode: 'natRouted' | 'isolated';
  readonly gateway: string;
  readonly netmask: string;
  readonly prefixLength: number;
}

export interface VdcRecord {
  readonly id: string;
  readonly name: string;
  readonly network: NetworkRecord;
}

export interface TemplateRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly image: SimImage;
  /** The uuid of the template's one VM. */
  readonly vmId: string;
  readonly vmName: string;
  readonly cpus: number;
  readonly memoryMb: number;
  readonly diskMb: number;
  readonly guestOs: GuestOs;
  readonly createdAt: number;
  /** The VDC the catalog stores it in. */
  readonly vdcId: string;
  /** Its catalog item's uuid. */
  readonly catalogItemId: string;
}

export type IpMode = 'POOL' | 'DHCP' | 'MANUAL' | 'NONE';

export interface NicRecord {
  /** The vApp network it connects to, by the name the instantiate request gave it. */
  readonly network: string;
  /** The org VDC network that vApp network is bridged to. */
  readonly orgNetworkId: string;
  readonly mode: IpMode;
  readonly manualIp: string | undefined;
  readonly mac: string;
  readonly connected: boolean;
}

export interface Customization {
  readonly enabled: boolean;
  readonly computerName: string;
  readonly script: string | undefined;
  readonly adminPasswordEnabled: boolean;
  readonly adminPasswordAuto: boolean;
  readonly adminPassword: string | undefined;
  readonly resetPasswordRequired: boolean;
}

/** A metadata value: its type (MetadataStringValue…) and its text. */
export interface MetadataValue {
  readonly type: string;
  readonly value: string;
}

export interface VAppRecord extends PowerOverlay {
  readonly id: string;
  /** The uuid of the vApp's one VM. */
  readonly vmId: string;
  readonly modelVmId: string;
  readonly account: string;
  readonly ownerName: string;
  readonly vdcId: string;
  readonly name: string;
  readonly description: string;
  readonly vmName: string;
  readonly vmDescription: string;
  readonly templateId: string | undefined;
  readonly cpus: number;
  readonly coresPerSocket: number;
  readonly memoryMb: number;
  readonly diskMb: number;
  readonly guestOs: GuestOs;
  readonly nic: NicRecord | undefined;
  readonly customization: Customization;
  /** The vApp's metadata. */
  readonly metadata: Map<string, MetadataValue>;
  /** Its VM's own metadata. */
  readonly vmMetadata: Map<string, MetadataValue>;
  readonly createdAt: number;
  /** The instantiate task, while the vApp is being created. */
  readonly creationTask: string | undefined;
  /** Every task the vApp owns, oldest first. */
  readonly tasks: string[];
}

/** A vApp as seen now: the record, the model's VM and the status vCD shows. */
export interface VAppView {
  readonly record: VAppRecord;
  readonly vm: SimVm;
  readonly power: PowerState;
  /** Tasks still running, oldest first. */
  readonly runningTasks: readonly string[];
  readonly ipAddress: string | undefined;
}

export interface InventoryOptions {
  readonly org: string;
  readonly vdc: string;
  readonly catalog: string;
  readonly network: string;
}

export class Inventory {
  readonly cloud: SimCloud;
  readonly tasks: Tasks;
  readonly org: { readonly id: string; readonly name: string };
  readonly catalog: { readonly id: string; readonly name: string; readonly createdAt: number };
  readonly vdcs: readonly VdcRecord[];
  readonly templates: readonly TemplateRecord[];
  readonly #vapps = new Map<string, VAppRecord>();
  readonly #byVm = new Map<string, VAppRecord>();
  readonly #byModelVm = new Map<string, VAppRecord>();

  constructor(cloud: SimCloud, tasks: Tasks, options: InventoryOptions) {
    this.cloud = cloud;
    this.tasks = tasks;
    this.org = { id: stableUuid('org', options.org), name: options.org };
    this.catalog = {
      id: stableUuid('catalog', options.org, options.catalog),
      name: options.catalog,
      createdAt: Math.min(...cloud.images.map((image) => image.createdAt), Date.UTC(2025, 0, 1)),
    };
    const secondVdc =
      options.vdc === VCLOUD_DEFAULTS.secondVdc ? `${options.vdc}-b` : VCLOUD_DEFAULTS.secondVdc;
    const secondNetwork =
      options.network === VCLOUD_DEFAULTS.secondNetwork
        ? `${options.network}-b`
        : VCLOUD_DEFAULTS.secondNetwork;
    this.vdcs = [
      this.#vdc(options.org, options.vdc, options.network, 'natRouted'),
      this.#vdc(options.org, secondVdc, secondNetwork, 'isolated'),
    ];
    const size = cloud.sizes[0];
    const home = this.defaultVdc;
    this.templates = cloud.images.map((image) => ({
      id: stableUuid('vappTemplate', options.org, image.id),
      name: image.name,
      description: image.description,
      image,
      vmId: stableUuid('vm', options.org, image.id),
      vmName: image.id,
      cpus: size?.cpus ?? 2,
      memoryMb: size?.memoryMb ?? 4096,
      diskMb: image.sizeGb * 1024,
      guestOs: guestOsOf(image),
      createdAt: image.createdAt,
      vdcId: home.id,
      catalogItemId: stableUuid('catalogItem', options.org, options.catalog, image.id),
    }));
  }

  #vdc(org: string, name: string, network: string, fenceMode: NetworkRecord['fenceMode']): VdcRecord {
    const id = stableUuid('vdc', org, name);
    return {
      id,
      name,
      network: {
        id: stableUuid('network', org, name, network),
        name: network,
        vdcId: id,
        fenceMode,
        gateway: '10.255.255.254',
        netmask: '255.0.0.0',
        prefixLength: 8,
      },
    };
  }

  get defaultVdc(): VdcRecord {
    return this.vdcs[0] as VdcRecord;
  }

  vdc(id: string): VdcRecord | undefined {
    return this.vdcs.find((vdc) => vdc.id === id);
  }

  network(id: string): NetworkRecord | undefined {
    return this.vdcs.map((vdc) => vdc.network).find((network) => network.id === id);
  }

  template(id: string): TemplateRecord | undefined {
    return this.templates.find((template) => template.id === id);
  }

  templateByVm(vmId: string): TemplateRecord | undefined {
    return this.templates.find((template) => template.vmId === vmId);
  }

  userId(account: SimAccount): string {
    return stableUuid('user', this.org.name, account.key);
  }

  // --- vApps --------------------------------------------------------------------------------------

  /** Records a vApp the front-end just had the model create. */
  addVApp(record: Omit<VAppRecord, 'tasks'> & { tasks?: string[] }): VAppRecord {
    const vapp: VAppRecord = { ...record, tasks: record.tasks ?? [] };
    this.#vapps.set(vapp.id, vapp);
    this.#byVm.set(vapp.vmId, vapp);
    this.#byModelVm.set(vapp.modelVmId, vapp);
    return vapp;
  }

  /** The vApp with this uuid while it exists (any owner). */
  vapp(id: string): VAppRecord | undefined {
    this.sync();
    return this.#live(this.#vapps.get(id));
  }

  /** The vApp whose VM has this uuid. */
  vappOfVm(vmId: string): VAppRecord | undefined {
    this.sync();
    return this.#live(this.#byVm.get(vmId));
  }

  /** Every vApp that exists, in creation order (all owners). */
  vapps(): VAppRecord[] {
    this.sync();
    const live: VAppRecord[] = [];
    for (const record of this.#vapps.values()) if (this.#live(record)) live.push(record);
    return live;
  }

  /** A vApp whose model VM is gone is gone: forgotten, as vCD forgets a deleted vApp. */
  #live(record: VAppRecord | undefined): VAppRecord | undefined {
    if (!record) return undefined;
    if (this.cloud.vm(record.account, record.modelVmId)) return record;
    this.#vapps.delete(record.id);
    this.#byVm.delete(record.vmId);
    this.#byModelVm.delete(record.modelVmId);
    return undefined;
  }

  /** The vApp with the model's VM and the status vCD shows now; undefined once the VM is gone. */
  view(record: VAppRecord): VAppView | undefined {
    const vm = this.cloud.vm(record.account, record.modelVmId);
    return vm ? this.#viewOf(record, vm) : undefined;
  }

  /**
   * An account's vApps as they are now, in creation order: one listing of the model's VMs, adopting
   * those without a vApp, for the query service's pages over thousands of them.
   */
  viewsOf(account: string): VAppView[] {
    const owner = this.cloud.accounts().find((candidate) => candidate.id === account);
    if (!owner) return [];
    const views: VAppView[] = [];
    const seen = new Set<string>();
    for (const vm of this.cloud.vms(account)) {
      let record = this.#byModelVm.get(vm.id);
      if (!record) {
        this.#adopt(vm, owner);
        record = this.#byModelVm.get(vm.id) as VAppRecord;
      }
      seen.add(record.id);
      views.push(this.#viewOf(record, vm));
    }
    // vApps whose VM the model no longer lists are gone.
    for (const record of this.#vapps.values()) {
      if (record.account === account && !seen.has(record.id)) this.#live(record);
    }
    return views;
  }

  #viewOf(record: VAppRecord, vm: SimVm): VAppView {
    const now = this.cloud.clock.now();
    const creating = record.creationTask !== undefined && this.tasks.isRunning(record.creationTask);
    const power = powerState(vm, record, creating, now);
    const runningTasks =
      record.tasks.length === 0 ? [] : record.tasks.filter((id) => this.tasks.isRunning(id));
    return { record, vm, power, runningTasks, ipAddress: ipAddressOf(record, vm, power.status, creating) };
  }

  /** Gives every model VM without a vApp one: seeded VMs, running in the default VDC. */
  sync(): void {
    for (const account of this.cloud.accounts()) {
      for (const vm of this.cloud.vms(account.id)) {
        if (!this.#byModelVm.has(vm.id)) this.#adopt(vm, account);
      }
    }
  }

  #adopt(vm: SimVm, account: SimAccount): void {
    const template = this.templates.find((candidate) => candidate.image.id === vm.image);
    const size = this.cloud.sizes.find((candidate) => candidate.id === vm.size);
    const vdc = this.defaultVdc;
    const vmId = randomUUID();
    this.addVApp({
      id: randomUUID(),
      vmId,
      modelVmId: vm.id,
      account: account.id,
      ownerName: account.key,
      vdcId: vdc.id,
      name: vm.name,
      description: '',
      vmName: vm.displayName || vm.name,
      vmDescription: '',
      templateId: template?.id,
      cpus: size?.cpus ?? template?.cpus ?? 2,
      coresPerSocket: 1,
      memoryMb: size?.memoryMb ?? template?.memoryMb ?? 4096,
      diskMb: vm.diskGb * 1024,
      guestOs: template?.guestOs ?? guestOsOf(undefined),
      nic: {
        network: vdc.network.name,
        orgNetworkId: vdc.network.id,
        mode: 'POOL',
        manualIp: undefined,
        mac: macAddressOf(vmId),
        connected: true,
      },
      customization: {
        enabled: true,
        computerName: computerNameOf(vm.name),
        script: vm.userData === undefined ? undefined : Buffer.from(vm.userData, 'base64').toString('utf8'),
        adminPasswordEnabled: false,
        adminPasswordAuto: false,
        adminPassword: undefined,
        resetPasswordRequired: false,
      },
      metadata: new Map(
        Object.entries(vm.tags).map(([key, value]) => [key, { type: 'MetadataStringValue', value }]),
      ),
      vmMetadata: new Map(),
      createdAt: vm.createdAt,
      creationTask: undefined,
      heldOff: undefined,
      suspended: false,
      deployedWhileOff: false,
    });
  }
}

/**
 * The address vCD shows for the VM's NIC: a pool address once the vApp is created, a static one
 * as given, a DHCP lease only once the VM runs (VMware Tools reports it), none without a network.
 */
function ipAddressOf(record: VAppRecord, vm: SimVm, status: number, creating: boolean): string | undefined {
  const nic = record.nic;
  if (!nic?.connected) return undefined;
  switch (nic.mode) {
    case 'MANUAL':
      return nic.manualIp;
    case 'POOL':
      return creating || vm.phase === 'error' ? undefined : vm.privateIp;
    case 'DHCP':
      return status === 4 ? vm.privateIp : undefined;
    default:
      return undefined;
  }
}

/** A guest host name from a vApp name: letters, digits and hyphens, at most 15 characters as vCD's default. */
export function computerNameOf(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 15);
  return cleaned === '' ? 'vm' : cleaned;
}
