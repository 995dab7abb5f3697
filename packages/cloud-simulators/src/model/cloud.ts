import { createHash, randomUUID } from 'node:crypto';
import { privateAddress, publicAddress } from './addresses.js';
import { type Clock, systemClock } from './clock.js';
import { SimError } from './errors.js';
import type {
  AccountStatus,
  SimAccount,
  SimAccountSpec,
  SimImage,
  SimKeyPair,
  SimOperation,
  SimSize,
  SimVm,
  SimZone,
  VmPhase,
} from './types.js';

/**
 * The in-memory cloud every protocol front-end serves: accounts, a catalog, key pairs, VMs whose
 * states change with time, asynchronous operations and per-account quotas. It knows nothing of
 * HTTP or of any cloud's field names.
 */

export interface SimCloudOptions {
  readonly zones: readonly SimZone[];
  readonly images: readonly SimImage[];
  readonly sizes: readonly SimSize[];
  readonly accounts: readonly SimAccountSpec[];
  /** How long a VM starts (launch and start) before it runs; default 1000 ms. */
  readonly bootDelayMs?: number | undefined;
  /** How long a VM takes to stop, and to be expunged; default 500 ms. */
  readonly haltDelayMs?: number | undefined;
  readonly clock?: Clock | undefined;
}

export const SIM_DEFAULTS = Object.freeze({ bootDelayMs: 1000, haltDelayMs: 500, vmLimit: 20 });

export interface VmSpec {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly zone: string;
  readonly image: string;
  readonly size: string;
  /** Root disk; the image's size when absent. */
  readonly diskGb?: number | undefined;
  readonly keyPair?: string | undefined;
  readonly userData?: string | undefined;
  readonly securityGroups?: readonly string[] | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** `gone` is internal: the record is expunged and no longer listed. */
type Phase = VmPhase | 'gone';

interface VmRecord extends Omit<SimVm, 'phase' | 'tags' | 'phaseSince' | 'launchedAt'> {
  tags: Record<string, string>;
  /** Phases in time order; the current one is the last whose time has come. */
  timeline: Array<{ readonly at: number; readonly phase: Phase }>;
  /** When the VM first ran, once a settled timeline no longer shows it. */
  launchedAt: number | undefined;
}

interface OperationRecord extends Omit<SimOperation, 'status'> {
  readonly fails: boolean;
}

export class SimCloud {
  readonly zones: readonly SimZone[];
  readonly images: readonly SimImage[];
  readonly sizes: readonly SimSize[];
  readonly clock: Clock;
  readonly #bootDelayMs: number;
  readonly #haltDelayMs: number;
  readonly #accounts = new Map<string, SimAccount>();
  readonly #keyPairs = new Map<string, Map<string, SimKeyPair>>();
  /** VMs per account, in creation order. */
  readonly #vms = new Map<string, Map<string, VmRecord>>();
  readonly #operations = new Map<string, OperationRecord>();
  #failures: Array<{ readonly message: string; readonly command: string | undefined }> = [];
  #sequence = 0;

  constructor(options: SimCloudOptions) {
    this.zones = Object.freeze([...options.zones]);
    this.images = Object.freeze([...options.images]);
    this.sizes = Object.freeze([...options.sizes]);
    this.clock = options.clock ?? systemClock;
    this.#bootDelayMs = options.bootDelayMs ?? SIM_DEFAULTS.bootDelayMs;
    this.#haltDelayMs = options.haltDelayMs ?? SIM_DEFAULTS.haltDelayMs;
    for (const spec of options.accounts) this.addAccount(spec);
  }

  // --- accounts ---------------------------------------------------------------------------------

  addAccount(spec: SimAccountSpec): SimAccount {
    if (this.#accounts.has(spec.key))
      throw new SimError('conflict', `An account with key ${spec.key} exists.`);
    const account: SimAccount = {
      id: randomUUID(),
      name: spec.name ?? `account-${this.#accounts.size + 1}`,
      key: spec.key,
      secret: spec.secret,
      status: 'active',
      vmLimit: spec.vmLimit ?? SIM_DEFAULTS.vmLimit,
    };
    this.#accounts.set(account.key, account);
    this.#vms.set(account.id, new Map());
    this.#keyPairs.set(account.id, new Map());
    return account;
  }

  /** The account an API key belongs to, whatever its status; front-ends check the status. */
  accountByKey(key: string): SimAccount | undefined {
    return this.#accounts.get(key);
  }

  /** Every account, in the order they were added: front-ends that look users up by id need it. */
  accounts(): SimAccount[] {
    return [...this.#accounts.values()];
  }

  setAccountStatus(key: string, status: AccountStatus): void {
    const account = this.#accounts.get(key);
    if (!account) throw new SimError('not-found', `No account has key ${key}.`);
    account.status = status;
  }

  // --- key pairs --------------------------------------------------------------------------------

  registerKeyPair(account: string, name: string, publicKey: string): SimKeyPair {
    const pairs = this.#keyPairsOf(account);
    if (pairs.has(name)) throw new SimError('conflict', `A key pair named ${name} already exists.`, 'name');
    const blob = openSshBlob(publicKey);
    if (!blob) {
      throw new SimError(
        'invalid',
        'The public key is not in OpenSSH format ("<type> <base64> [comment]").',
        'publickey',
      );
    }
    const digest = createHash('md5').update(blob).digest('hex');
    const pair: SimKeyPair = {
      name,
      account,
      publicKey: publicKey.trim(),
      fingerprint: digest.match(/../g)?.join(':') ?? digest,
    };
    pairs.set(name, pair);
    return pair;
  }

  keyPairs(account: string): SimKeyPair[] {
    return [...this.#keyPairsOf(account).values()];
  }

  deleteKeyPair(account: string, name: string): void {
    if (!this.#keyPairsOf(account).delete(name)) {
      throw new SimError('not-found', `No key pair named ${name}.`, 'name');
    }
  }

  // --- VMs ----------------------------------------------------------------------------------------

  /** Creates a VM (starting, then running after the boot delay) and the operation that tracks it. */
  createVm(account: string, spec: VmSpec, command: string): { vm: SimVm; operation: SimOperation } {
    const zone = this.zones.find((z) => z.id === spec.zone);
    if (!zone) throw new SimError('not-found', `Zone ${spec.zone} does not exist.`, 'zone');
    const image = this.images.find((i) => i.id === spec.image);
    if (!image || (image.zones && !image.zones.includes(zone.id))) {
      throw new SimError('not-found', `Image ${spec.image} does not exist in zone ${zone.name}.`, 'image');
    }
    if (!this.sizes.some((s) => s.id === spec.size)) {
      throw new SimError('not-found', `Size ${spec.size} does not exist.`, 'size');
    }
    if (spec.diskGb !== undefined && spec.diskGb < image.sizeGb) {
      throw new SimError('invalid', `The disk must be at least ${image.sizeGb} GB for this image.`, 'disk');
    }
    if (spec.keyPair !== undefined && !this.#keyPairsOf(account).has(spec.keyPair)) {
      throw new SimError('not-found', `Key pair ${spec.keyPair} does not exist.`, 'keypair');
    }
    const limit = this.#account(account).vmLimit;
    if (this.#countHeld(account) >= limit) {
      throw new SimError('quota', `The account has reached its limit of ${limit} VMs.`);
    }
    const now = this.clock.now();
    const operation = this.#operation(account, command, undefined, now + this.#bootDelayMs);
    const sequence = ++this.#sequence;
    const record: VmRecord = {
      id: randomUUID(),
      account,
      name: spec.name,
      displayName: spec.displayName ?? spec.name,
      zone: zone.id,
      image: image.id,
      size: spec.size,
      diskGb: spec.diskGb ?? image.sizeGb,
      keyPair: spec.keyPair,
      userData: spec.userData,
      securityGroups: [...(spec.securityGroups ?? [])],
      tags: { ...spec.tags },
      publicIp: publicAddress(sequence),
      privateIp: privateAddress(sequence),
      createdAt: now,
      launchedAt: undefined,
      timeline: [
        { at: now, phase: 'starting' },
        { at: operation.completesAt, phase: operation.fails ? 'error' : 'running' },
      ],
    };
    this.#vmsOf(account).set(record.id, record);
    const tracked = { ...operation, resource: record.id };
    this.#operations.set(tracked.id, tracked);
    return { vm: this.#view(record, now), operation: this.#status(tracked, now) };
  }

  /** Adds running VMs directly, without operations or quota checks: benchmark and test fixtures. */
  seedVms(account: string, count: number, spec: Omit<VmSpec, 'name'> & { namePrefix?: string }): SimVm[] {
    const now = this.clock.now();
    const vms = this.#vmsOf(account);
    const created: SimVm[] = [];
    for (let index = 1; index <= count; index += 1) {
      const sequence = ++this.#sequence;
      const name = `${spec.namePrefix ?? 'seed'}-${index}`;
      const record: VmRecord = {
        id: randomUUID(),
        account,
        name,
        displayName: name,
        zone: spec.zone,
        image: spec.image,
        size: spec.size,
        diskGb: spec.diskGb ?? this.images.find((i) => i.id === spec.image)?.sizeGb ?? 10,
        keyPair: spec.keyPair,
        userData: spec.userData,
        securityGroups: [...(spec.securityGroups ?? [])],
        tags: { ...spec.tags },
        publicIp: publicAddress(sequence),
        privateIp: privateAddress(sequence),
        createdAt: now,
        launchedAt: now,
        timeline: [{ at: now, phase: 'running' }],
      };
      vms.set(record.id, record);
      created.push(this.#view(record, now));
    }
    return created;
  }

  /** The account's VMs that are not expunged, in creation order. */
  vms(account: string): SimVm[] {
    const now = this.clock.now();
    const result: SimVm[] = [];
    for (const record of this.#vmsOf(account).values()) {
      if (phaseAt(record, now) !== 'gone') result.push(this.#view(record, now));
    }
    return result;
  }

  /** One VM of the account, undefined when it never existed or is expunged. */
  vm(account: string, id: string): SimVm | undefined {
    const now = this.clock.now();
    const record = this.#vmsOf(account).get(id);
    return record && phaseAt(record, now) !== 'gone' ? this.#view(record, now) : undefined;
  }

  /**
   * Whether the account ever had a VM with this id, expunged ones included: some APIs (CloudStack)
   * answer an id that names a removed VM differently from one that never existed.
   */
  hadVm(account: string, id: string): boolean {
    return this.#vmsOf(account).has(id);
  }

  stopVm(account: string, id: string, command: string): SimOperation {
    return this.#change(
      account,
      id,
      command,
      ['running'],
      ['stopping', 'stopped', 'running'],
      this.#haltDelayMs,
    );
  }

  startVm(account: string, id: string, command: string): SimOperation {
    return this.#change(
      account,
      id,
      command,
      ['stopped'],
      ['starting', 'running', 'stopped'],
      this.#bootDelayMs,
    );
  }

  /**
   * Destroys a VM. Without expunge it becomes `destroyed` at once (recoverable, still listed); with
   * expunge it is `expunging` for the halt delay and then gone.
   */
  destroyVm(account: string, id: string, expunge: boolean, command: string): SimOperation {
    const record = this.#record(account, id);
    const now = this.clock.now();
    const phase = phaseAt(record, now);
    if (phase === 'expunging' || (phase === 'destroyed' && !expunge)) {
      throw new SimError('state', `VM ${id} is already ${phase}.`);
    }
    const operation = this.#operation(account, command, id, now + (expunge ? this.#haltDelayMs : 0));
    settle(record, now);
    if (operation.fails) {
      // A failed destroy leaves the VM in error, as a host that lost it would.
      record.timeline.push({ at: operation.completesAt, phase: 'error' });
    } else if (expunge) {
      record.timeline.push({ at: now, phase: 'expunging' }, { at: operation.completesAt, phase: 'gone' });
    } else {
      record.timeline.push({ at: now, phase: 'destroyed' });
    }
    return this.#status(operation, now);
  }

  /** Adds or replaces tags on a VM. */
  tagVm(account: string, id: string, tags: Readonly<Record<string, string>>): void {
    Object.assign(this.#record(account, id).tags, tags);
  }

  // --- operations -------------------------------------------------------------------------------

  operation(account: string, id: string): SimOperation | undefined {
    const record = this.#operations.get(id);
    return record?.account === account ? this.#status(record, this.clock.now()) : undefined;
  }

  /** The account's operations, oldest first. */
  operations(account: string): SimOperation[] {
    const now = this.clock.now();
    return [...this.#operations.values()]
      .filter((op) => op.account === account)
      .map((op) => this.#status(op, now));
  }

  /**
   * Records an operation that is complete as soon as it exists, for APIs that report even a
   * synchronous change as an operation (Exoscale's register-ssh-key). It never takes an injected
   * failure: those are meant for work that takes time.
   */
  completedOperation(account: string, command: string, resource: string | undefined): SimOperation {
    this.#account(account);
    const now = this.clock.now();
    const record: OperationRecord = {
      id: randomUUID(),
      account,
      command,
      resource,
      createdAt: now,
      completesAt: now,
      error: undefined,
      fails: false,
    };
    this.#operations.set(record.id, record);
    return this.#status(record, now);
  }

  /**
   * Fault injection: the next `count` operations fail with `message` when they complete; with
   * `command`, only operations of that command (e.g. `instantiateVAppTemplate`), so that other work
   * running meanwhile does not take the failure.
   */
  failNextOperations(count: number, message = 'Simulated failure of the operation.', command?: string): void {
    for (let index = 0; index < count; index += 1) this.#failures.push({ message, command });
  }

  // --- internals ----------------------------------------------------------------------------------

  #change(
    account: string,
    id: string,
    command: string,
    from: readonly Phase[],
    [during, after, onFailure]: readonly [Phase, Phase, Phase],
    delayMs: number,
  ): SimOperation {
    const record = this.#record(account, id);
    const now = this.clock.now();
    const phase = phaseAt(record, now);
    if (!from.includes(phase)) {
      throw new SimError('state', `VM ${id} is ${phase}; this needs it ${from.join(' or ')}.`);
    }
    const operation = this.#operation(account, command, id, now + delayMs);
    settle(record, now);
    record.timeline.push(
      { at: now, phase: during },
      { at: operation.completesAt, phase: operation.fails ? onFailure : after },
    );
    return this.#status(operation, now);
  }

  #operation(
    account: string,
    command: string,
    resource: string | undefined,
    completesAt: number,
  ): OperationRecord {
    const at = this.#failures.findIndex(
      (failure) => failure.command === undefined || failure.command === command,
    );
    const error = at < 0 ? undefined : this.#failures.splice(at, 1)[0]?.message;
    const record: OperationRecord = {
      id: randomUUID(),
      account,
      command,
      resource,
      createdAt: this.clock.now(),
      completesAt,
      error,
      fails: error !== undefined,
    };
    this.#operations.set(record.id, record);
    return record;
  }

  #status(record: OperationRecord, now: number): SimOperation {
    const { fails, ...operation } = record;
    const done = now >= record.completesAt;
    return {
      ...operation,
      status: done ? (fails ? 'failure' : 'success') : 'pending',
      error: done ? record.error : undefined,
    };
  }

  #view(record: VmRecord, now: number): SimVm {
    const step = stepAt(record, now);
    // Field by field rather than `const { timeline, ...vm } = record`: V8 copies a rest pattern
    // on a slow path, and a listing of thousands of VMs builds a view of each (SimVm's fields are
    // all required, so a new one cannot be forgotten here).
    return {
      id: record.id,
      account: record.account,
      name: record.name,
      displayName: record.displayName,
      zone: record.zone,
      image: record.image,
      size: record.size,
      diskGb: record.diskGb,
      keyPair: record.keyPair,
      userData: record.userData,
      securityGroups: record.securityGroups,
      tags: { ...record.tags },
      publicIp: record.publicIp,
      privateIp: record.privateIp,
      createdAt: record.createdAt,
      phase: step.phase === 'gone' ? 'expunging' : step.phase,
      phaseSince: step.at,
      launchedAt: launchedAt(record, now),
    };
  }

  #countHeld(account: string): number {
    const now = this.clock.now();
    let held = 0;
    for (const record of this.#vmsOf(account).values()) {
      const phase = phaseAt(record, now);
      if (phase !== 'gone' && phase !== 'expunging' && phase !== 'destroyed') held += 1;
    }
    return held;
  }

  #record(account: string, id: string): VmRecord {
    const record = this.#vmsOf(account).get(id);
    if (!record || phaseAt(record, this.clock.now()) === 'gone') {
      throw new SimError('not-found', `VM ${id} does not exist.`, 'id');
    }
    return record;
  }

  #account(id: string): SimAccount {
    for (const account of this.#accounts.values()) if (account.id === id) return account;
    throw new SimError('not-found', `Account ${id} does not exist.`);
  }

  #vmsOf(account: string): Map<string, VmRecord> {
    const vms = this.#vms.get(account);
    if (!vms) throw new SimError('not-found', `Account ${account} does not exist.`);
    return vms;
  }

  #keyPairsOf(account: string): Map<string, SimKeyPair> {
    const pairs = this.#keyPairs.get(account);
    if (!pairs) throw new SimError('not-found', `Account ${account} does not exist.`);
    return pairs;
  }
}

type Step = VmRecord['timeline'][number];

/** The step the VM is in at `now`: the last whose time has come. */
function stepAt(record: VmRecord, now: number): Step {
  let current: Step = record.timeline[0] ?? { at: record.createdAt, phase: 'starting' };
  for (const step of record.timeline) {
    if (step.at > now) break;
    current = step;
  }
  return current;
}

function phaseAt(record: VmRecord, now: number): Phase {
  return stepAt(record, now).phase;
}

function launchedAt(record: VmRecord, now: number): number | undefined {
  return record.launchedAt ?? record.timeline.find((step) => step.phase === 'running' && step.at <= now)?.at;
}

/**
 * Drops the steps that are past, keeping the current one with the time it began, so timelines
 * stay short and the phase's start stays known.
 */
function settle(record: VmRecord, now: number): void {
  record.launchedAt = launchedAt(record, now);
  record.timeline = [stepAt(record, now)];
}

/**
 * The key blob of an OpenSSH public key line, or undefined when the line is not one: the blob must
 * be base64 and start with its own key type as a length-prefixed string, as every SSH key does.
 */
function openSshBlob(line: string): Buffer | undefined {
  const [type, encoded] = line.trim().split(/\s+/);
  if (!type || !encoded || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const blob = Buffer.from(encoded, 'base64');
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1') === type ? blob : undefined;
}
