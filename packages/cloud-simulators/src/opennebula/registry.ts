import { createHash } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import type { SimAccount, SimVm } from '../model/types.js';
import { type Caller, GROUP_USE, OWNER_ONLY, type Owned } from './access.js';
import { ONEADMIN, type OpenNebulaNetworkSpec, templateAttributes, USERS_GROUP } from './catalog.js';
import { currentState, type Life, newLife, type OneState, VM_STATE } from './states.js';
import type { TemplateAttribute } from './template.js';
import {
  type AllocationContext,
  type ImageRecord,
  type NetworkRecord,
  planVm,
  type VmPlan,
  vmTemplates,
} from './vm-template.js';

/**
 * What oned knows beyond the shared model: users' numeric ids, images, VM templates and virtual
 * networks with their owners and permissions, and for every VM its integer id, its two templates
 * and the life-cycle facts its state is computed from. VMs the model got another way (seeded for
 * a benchmark) are given an id, in the model's order, the first time a call looks; VMs that are
 * DONE stay known (vm.info still answers them), as oned keeps them in its database.
 */

/** serveradmin, the second user oned creates; accounts' users come after it. */
const FIRST_ACCOUNT_UID = 2;

export interface TemplateRecord extends Owned {
  readonly name: string;
  readonly uname: string;
  readonly gname: string;
  /** Registration time, epoch ms. */
  readonly regtime: number;
  readonly attributes: readonly TemplateAttribute[];
}

export interface VnetRecord extends Owned, NetworkRecord {
  readonly gname: string;
}

export interface VmRecord extends Owned {
  /** The model's VM. */
  readonly vmId: string;
  /** The model's account. */
  readonly account: string;
  readonly uname: string;
  readonly gname: string;
  readonly name: string;
  /** Creation time, epoch ms. */
  readonly stime: number;
  readonly template: readonly TemplateAttribute[];
  readonly userTemplate: readonly TemplateAttribute[];
  readonly life: Life;
  resched: 0 | 1;
  /** The last action asked, for the history record (oned's VMActions numbers). */
  lastAction: { readonly action: number; readonly uid: number; readonly gid: number } | undefined;
  /** The state the last action found the VM in (PREV_STATE, PREV_LCM_STATE). */
  previous: OneState | undefined;
  /** The model's VM as last seen: what a DONE VM still shows once the model has removed it. */
  last: SimVm;
}

export interface RegistryOptions {
  readonly networks: readonly OpenNebulaNetworkSpec[];
}

export class OneRegistry {
  readonly cloud: SimCloud;
  readonly images: readonly ImageRecord[];
  readonly networks: readonly VnetRecord[];
  readonly #templates: TemplateRecord[];
  readonly #vms = new Map<number, VmRecord>();
  readonly #byModelVm = new Map<string, number>();
  #nextVmId = 0;

  constructor(cloud: SimCloud, options: RegistryOptions) {
    this.cloud = cloud;
    const [firstAccount] = cloud.accounts();
    const firstUser = firstAccount ? this.callerOf(firstAccount) : undefined;
    // The operator's images (featured) are oneadmin's; the others belong to the first account.
    const ownerOf = (featured: boolean) =>
      featured || !firstUser
        ? { uid: ONEADMIN.uid, uname: ONEADMIN.name }
        : { uid: firstUser.uid, uname: firstUser.uname };
    this.images = cloud.images.map((image, id) => ({ id, image, ...ownerOf(image.featured) }));
    this.networks = options.networks.map((spec) => ({
      ...spec,
      uid: ONEADMIN.uid,
      uname: ONEADMIN.name,
      gid: USERS_GROUP.gid,
      gname: USERS_GROUP.name,
      permissions: GROUP_USE,
    }));
    const size = cloud.sizes[0];
    this.#templates = this.images.map(({ id, image, uid, uname }) => ({
      id,
      uid,
      uname,
      gid: USERS_GROUP.gid,
      gname: USERS_GROUP.name,
      name: image.name,
      permissions: uid === ONEADMIN.uid ? GROUP_USE : OWNER_ONLY,
      regtime: image.createdAt,
      attributes: size ? templateAttributes(image, id, size, options.networks[0]) : [],
    }));
  }

  // --- users --------------------------------------------------------------------------------------

  /** The user an account is: uid by the order accounts were added, name its key. */
  callerOf(account: SimAccount): Caller {
    const index = this.cloud.accounts().findIndex((candidate) => candidate.id === account.id);
    return {
      account,
      uid: FIRST_ACCOUNT_UID + index,
      uname: account.key,
      gid: USERS_GROUP.gid,
      gname: USERS_GROUP.name,
      groups: new Set([USERS_GROUP.gid]),
    };
  }

  /** The account whose user has this id, if any. */
  accountOfUid(uid: number): SimAccount | undefined {
    return uid >= FIRST_ACCOUNT_UID ? this.cloud.accounts()[uid - FIRST_ACCOUNT_UID] : undefined;
  }

  /** Whether oned has a user with this id: oneadmin, serveradmin or an account's. */
  userExists(uid: number): boolean {
    return uid === 0 || uid === 1 || this.accountOfUid(uid) !== undefined;
  }

  uidOf(uname: string): number | undefined {
    if (uname === ONEADMIN.name) return ONEADMIN.uid;
    if (uname === 'serveradmin') return 1;
    const account = this.cloud.accountByKey(uname);
    return account ? this.callerOf(account).uid : undefined;
  }

  // --- templates ----------------------------------------------------------------------------------

  templates(): readonly TemplateRecord[] {
    return this.#templates;
  }

  template(id: number): TemplateRecord | undefined {
    return this.#templates.find((template) => template.id === id);
  }

  /** A private copy of a template (instantiate's persistent flag), owned by the caller. */
  cloneTemplate(
    original: TemplateRecord,
    name: string,
    attributes: readonly TemplateAttribute[],
    owner: Caller,
  ): TemplateRecord {
    const clone: TemplateRecord = {
      id: Math.max(-1, ...this.#templates.map((template) => template.id)) + 1,
      uid: owner.uid,
      uname: owner.uname,
      gid: owner.gid,
      gname: owner.gname,
      name,
      permissions: OWNER_ONLY,
      regtime: this.cloud.clock.now(),
      attributes: attributes.length ? attributes : original.attributes,
    };
    this.#templates.push(clone);
    return clone;
  }

  allocationContext(owner: Caller): AllocationContext {
    return {
      owner,
      images: this.images,
      networks: this.networks,
      uidOf: (uname) => this.uidOf(uname),
    };
  }

  // --- VMs ----------------------------------------------------------------------------------------

  /** The id the next VM gets, once the model's VMs without one have theirs. */
  get nextVmId(): number {
    this.sync();
    return this.#nextVmId;
  }

  /** Records a VM the front-end just had the model create (after reading nextVmId). */
  addVm(details: {
    readonly vm: SimVm;
    readonly owner: Caller;
    readonly plan: VmPlan;
    readonly templateId: number | undefined;
    readonly userAttributes?: readonly TemplateAttribute[];
    readonly life: Life;
  }): VmRecord {
    // No sync here: the model already has this VM, which a sync would adopt as a second one.
    const id = this.#nextVmId++;
    const { template, userTemplate } = vmTemplates(
      details.plan,
      id,
      details.templateId,
      details.vm,
      details.owner,
    );
    const record: VmRecord = {
      id,
      vmId: details.vm.id,
      account: details.owner.account.id,
      uid: details.owner.uid,
      uname: details.owner.uname,
      gid: details.owner.gid,
      gname: details.owner.gname,
      permissions: OWNER_ONLY,
      name: details.plan.name,
      stime: details.vm.createdAt,
      template,
      userTemplate: [...userTemplate, ...(details.userAttributes ?? [])],
      life: details.life,
      resched: 0,
      lastAction: undefined,
      previous: undefined,
      last: details.vm,
    };
    this.#vms.set(id, record);
    this.#byModelVm.set(record.vmId, id);
    return record;
  }

  /**
   * Gives every VM of the model that has no id yet one, in the model's order per account: VMs
   * seeded into the model run from their image's template, with their size's CPU and memory.
   */
  sync(): void {
    for (const account of this.cloud.accounts()) {
      let owner: Caller | undefined;
      for (const vm of this.cloud.vms(account.id)) {
        if (this.#byModelVm.has(vm.id)) continue;
        owner ??= this.callerOf(account);
        this.#adopt(vm, owner);
      }
    }
  }

  #adopt(vm: SimVm, owner: Caller): void {
    const id = this.#nextVmId++;
    const image = this.images.find((candidate) => candidate.image.id === vm.image);
    const template = image ? this.template(image.id) : undefined;
    const size = this.cloud.sizes.find((candidate) => candidate.id === vm.size);
    const plan = adoptedPlan(vm, template, size, this.allocationContext(owner));
    const templates = vmTemplates(plan, id, template?.id, vm, owner);
    const record: VmRecord = {
      id,
      vmId: vm.id,
      account: owner.account.id,
      uid: owner.uid,
      uname: owner.uname,
      gid: owner.gid,
      gname: owner.gname,
      permissions: OWNER_ONLY,
      name: vm.name,
      stime: vm.createdAt,
      template: templates.template,
      userTemplate: templates.userTemplate,
      life: newLife(undefined),
      resched: 0,
      lastAction: undefined,
      previous: undefined,
      last: vm,
    };
    this.#vms.set(id, record);
    this.#byModelVm.set(vm.id, id);
  }

  /** Every VM oned knows, DONE ones included, by id. */
  vms(): VmRecord[] {
    this.sync();
    return [...this.#vms.values()];
  }

  vm(id: number): VmRecord | undefined {
    this.sync();
    return this.#vms.get(id);
  }

  /** The VM's state now, refreshing what the model shows of it. */
  stateOf(record: VmRecord): OneState {
    const vm = this.cloud.vm(record.account, record.vmId);
    if (vm) record.last = vm;
    return currentState(record.life, vm, this.cloud.clock.now());
  }

  /** The model's VM while it exists. */
  modelVm(record: VmRecord): SimVm | undefined {
    return this.cloud.vm(record.account, record.vmId);
  }

  /** VMs the account holds against its quota: every one not DONE. */
  heldBy(account: string): number {
    let held = 0;
    for (const record of this.vms()) {
      if (record.account === account && this.stateOf(record).state !== VM_STATE.DONE) held += 1;
    }
    return held;
  }
}

/**
 * The plan of a VM the model made without oned: its template's attributes when its image has one
 * (NICs and disks resolved the same way), the size's CPU and memory, and its own name.
 */
function adoptedPlan(
  vm: SimVm,
  template: TemplateRecord | undefined,
  size: { readonly cpus: number; readonly memoryMb: number } | undefined,
  context: AllocationContext,
): VmPlan {
  const cpu = String(size?.cpus ?? 1);
  const memory = String(size?.memoryMb ?? 1024);
  const attributes = template?.attributes ?? [];
  try {
    const plan = planVm(attributes, '', 'adopted', context);
    return { ...plan, name: vm.name, cpu, vcpu: cpu, memory };
  } catch {
    return { name: vm.name, cpu, vcpu: cpu, memory, nics: [], disks: [], rest: [] };
  }
}

/** oned's core driver keeps a user's password as its SHA-256, in hex. */
export function passwordDigest(password: string): string {
  return createHash('sha256').update(password).digest('hex');
}
