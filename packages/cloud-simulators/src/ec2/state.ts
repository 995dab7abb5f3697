import { createHash } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import type { SimVm } from '../model/types.js';

/**
 * What EC2 knows about instances beyond the shared model: EC2 ids, reservations, launch indexes,
 * client tokens, subnets and security groups, launch times, and terminated instances, which stay
 * visible (state `terminated`) for a while after the model has removed them, as EC2 keeps them
 * for about an hour.
 */

/** A deterministic EC2-style id: a prefix and 17 hex digits derived from a seed. */
export function ec2Id(prefix: string, seed: string): string {
  return `${prefix}-${createHash('sha256').update(seed).digest('hex').slice(0, 17)}`;
}

/** The instance id of a model VM: `i-` and 17 hex digits of its UUID. */
export function instanceIdOf(vmId: string): string {
  return `i-${vmId.replace(/-/g, '').slice(0, 17)}`;
}

/** A 12-digit AWS account number derived from the model's account id. */
export function accountNumberOf(accountId: string): string {
  const digest = createHash('sha256').update(accountId).digest();
  return (digest.readBigUInt64BE(0) % 1_000_000_000_000n).toString().padStart(12, '0');
}

export interface SecurityGroupRef {
  readonly groupId: string;
  readonly groupName: string;
}

export interface InstanceRecord {
  readonly vmId: string;
  readonly instanceId: string;
  /** Order of first sight: DescribeInstances lists by it. */
  readonly seq: number;
  readonly reservationId: string;
  readonly launchIndex: number;
  readonly clientToken: string | undefined;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly groups: readonly SecurityGroupRef[];
  /** When the instance last started (epoch ms); the model's creation time until a StartInstances. */
  launchTime: number;
  /** Set by TerminateInstances: the VM as it was, and when the model removes it. */
  terminated?: { readonly vm: SimVm; readonly goneAt: number; readonly requestedAt: number };
}

/** A RunInstances remembered by its ClientToken. */
export interface Launch {
  readonly fingerprint: string;
  readonly reservationId: string;
  readonly instanceIds: readonly string[];
  readonly groups: readonly SecurityGroupRef[];
}

export interface KeyPairRecord {
  readonly keyPairId: string;
  readonly createTime: number;
}

class AccountState {
  readonly instances = new Map<string, InstanceRecord>();
  readonly byVm = new Map<string, InstanceRecord>();
  readonly launches = new Map<string, Launch>();
  readonly keyPairs = new Map<string, KeyPairRecord>();
  readonly groups = new Map<string, SecurityGroupRef>();
}

export class Ec2State {
  readonly #cloud: SimCloud;
  readonly #terminatedVisibleMs: number;
  readonly #accounts = new Map<string, AccountState>();
  #seq = 0;

  constructor(cloud: SimCloud, terminatedVisibleMs: number) {
    this.#cloud = cloud;
    this.#terminatedVisibleMs = terminatedVisibleMs;
  }

  #account(account: string): AccountState {
    let state = this.#accounts.get(account);
    if (!state) {
      state = new AccountState();
      this.#accounts.set(account, state);
    }
    return state;
  }

  /** The account's default VPC, and its default subnet in a zone. */
  defaultVpc(account: string): string {
    return ec2Id('vpc', `${account}/vpc`);
  }

  defaultSubnet(account: string, zone: string): string {
    return ec2Id('subnet', `${account}/subnet/${zone}`);
  }

  /** The zone of one of the account's default subnets, or undefined. */
  subnetZone(account: string, subnetId: string): string | undefined {
    return this.#cloud.zones.find((zone) => this.defaultSubnet(account, zone.id) === subnetId)?.id;
  }

  /** The account's `default` security group. */
  defaultGroup(account: string): SecurityGroupRef {
    return this.groupByName(account, 'default');
  }

  /** A group by name; every name is accepted, with a stable id derived from it. */
  groupByName(account: string, name: string): SecurityGroupRef {
    const groups = this.#account(account).groups;
    for (const group of groups.values()) if (group.groupName === name) return group;
    const group = { groupId: ec2Id('sg', `${account}/sg/${name}`), groupName: name };
    groups.set(group.groupId, group);
    return group;
  }

  /** A group by id; an id not seen before is accepted and named after itself. */
  groupById(account: string, groupId: string): SecurityGroupRef {
    this.defaultGroup(account);
    const groups = this.#account(account).groups;
    const known = groups.get(groupId);
    if (known) return known;
    const group = { groupId, groupName: groupId };
    groups.set(groupId, group);
    return group;
  }

  launch(account: string, clientToken: string): Launch | undefined {
    return this.#account(account).launches.get(clientToken);
  }

  rememberLaunch(account: string, clientToken: string, launch: Launch): void {
    this.#account(account).launches.set(clientToken, launch);
  }

  /** Records the EC2 side of a VM the front-end just created. */
  addInstance(
    account: string,
    vm: SimVm,
    details: Omit<InstanceRecord, 'vmId' | 'instanceId' | 'seq' | 'launchTime'>,
  ): InstanceRecord {
    this.sync(account);
    const record: InstanceRecord = {
      ...details,
      vmId: vm.id,
      instanceId: instanceIdOf(vm.id),
      seq: ++this.#seq,
      launchTime: vm.createdAt,
    };
    const state = this.#account(account);
    state.instances.set(record.instanceId, record);
    state.byVm.set(vm.id, record);
    return record;
  }

  /**
   * Gives every model VM of the account an EC2 record, in the model's (creation) order: VMs seeded
   * into the model directly get a reservation of their own in their zone's default subnet.
   */
  sync(account: string): void {
    const state = this.#account(account);
    for (const vm of this.#cloud.vms(account)) {
      if (state.byVm.has(vm.id)) continue;
      const instanceId = instanceIdOf(vm.id);
      const record: InstanceRecord = {
        vmId: vm.id,
        instanceId,
        seq: ++this.#seq,
        reservationId: ec2Id('r', vm.id),
        launchIndex: 0,
        clientToken: undefined,
        subnetId: this.defaultSubnet(account, vm.zone),
        vpcId: this.defaultVpc(account),
        groups: vm.securityGroups.length
          ? vm.securityGroups.map((name) => this.groupByName(account, name))
          : [this.defaultGroup(account)],
        launchTime: vm.launchedAt ?? vm.createdAt,
      };
      state.instances.set(instanceId, record);
      state.byVm.set(vm.id, record);
    }
  }

  /**
   * The account's instances EC2 shows, in launch order: every VM of the model, and terminated
   * instances until they have been gone for the visibility period. Records past it are dropped.
   */
  instances(
    account: string,
  ): Array<{ readonly record: InstanceRecord; readonly vm: SimVm; readonly gone: boolean }> {
    this.sync(account);
    const state = this.#account(account);
    const now = this.#cloud.clock.now();
    const listed: Array<{ record: InstanceRecord; vm: SimVm; gone: boolean }> = [];
    for (const record of [...state.instances.values()].sort((a, b) => a.seq - b.seq)) {
      const vm = this.#cloud.vm(account, record.vmId);
      if (vm) {
        listed.push({ record, vm, gone: false });
      } else if (record.terminated && now < record.terminated.goneAt + this.#terminatedVisibleMs) {
        listed.push({ record, vm: record.terminated.vm, gone: true });
      } else {
        state.instances.delete(record.instanceId);
        state.byVm.delete(record.vmId);
      }
    }
    return listed;
  }

  keyPair(account: string, name: string): KeyPairRecord {
    const pairs = this.#account(account).keyPairs;
    let record = pairs.get(name);
    if (!record) {
      record = {
        keyPairId: ec2Id('key', `${account}/key/${name}/${this.#cloud.clock.now()}`),
        createTime: this.#cloud.clock.now(),
      };
      pairs.set(name, record);
    }
    return record;
  }

  forgetKeyPair(account: string, name: string): void {
    this.#account(account).keyPairs.delete(name);
  }
}
