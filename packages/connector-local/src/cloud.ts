import { ConnectorError, type LaunchRequest, type Tags } from '@slipstream/connector-core';
import { AccountBook, type LocalAccount } from './accounts.js';
import { privateAddress, publicAddress } from './addresses.js';
import { LOCAL_IMAGES, LOCAL_SIZES, LOCAL_ZONE_IDS } from './catalog.js';
import { type Clock, systemClock } from './clock.js';
import { LaunchLedger, type ResolvedLaunch } from './launch-ledger.js';
import { completesAt, type Delays, nativeStateAt, type Operation, type Phase } from './phases.js';
import { LOCAL_STATES, type LocalNativeState } from './states.js';

/**
 * The local cloud itself: accounts, VMs and their transitions, in memory. It speaks its own
 * vocabulary (native states, epoch-millisecond times) and knows nothing of sessions or of the
 * connector contract's VM model; `session.ts` translates. That split is the one every connector
 * has — the cloud on one side, the adapter on the other — and it lets a simulator or a test drive
 * this model directly.
 */

/** Settings of one local cloud; the instance parameters map onto these. */
export interface LocalCloudOptions {
  readonly accounts: readonly LocalAccount[];
  /** How long a VM is pending before it runs, on launch and on start. */
  readonly bootDelayMs?: number | undefined;
  /** How long stopping and terminating take. */
  readonly haltDelayMs?: number | undefined;
  /** Zone of a launch that names none. */
  readonly defaultZone?: string | undefined;
  /** Most VMs one account may hold at once (terminated ones excepted). */
  readonly accountVmLimit?: number | undefined;
  /** How long a terminated VM stays visible to `describe` before it vanishes. */
  readonly retentionMs?: number | undefined;
  readonly clock?: Clock | undefined;
}

export const LOCAL_CLOUD_DEFAULTS = Object.freeze({
  bootDelayMs: 1500,
  haltDelayMs: 500,
  defaultZone: 'local-a',
  accountVmLimit: 50,
  // Long enough for a poller to see the terminated state, short enough that lists stay clean.
  retentionMs: 60_000,
});

/** A VM as the local cloud reports it, in its own terms. */
export interface LocalVm {
  readonly id: string;
  readonly name: string;
  readonly state: LocalNativeState;
  readonly image: string;
  readonly size: string;
  readonly zone: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly publicIps: readonly string[];
  readonly privateIps: readonly string[];
  readonly tags: Tags;
  readonly sshPublicKey?: string | undefined;
  readonly userData?: string | undefined;
}

/** What is stored per VM. The state is not stored: it follows from `phase` and the clock. */
interface VmRecord extends Omit<LocalVm, 'state' | 'publicIps' | 'privateIps'> {
  readonly account: string;
  readonly publicIp: string;
  readonly privateIp: string;
  phase: Phase;
}

export class LocalCloud {
  readonly #accounts: AccountBook;
  readonly #delays: Delays;
  readonly #defaultZone: string;
  readonly #accountVmLimit: number;
  readonly #retentionMs: number;
  readonly #clock: Clock;
  readonly #launches = new LaunchLedger();
  /**
   * Every VM ever launched, in creation order. Records outlive their visibility so that a late
   * terminate still succeeds, as the contract asks; a record is a few hundred bytes.
   */
  readonly #vms = new Map<string, VmRecord>();
  #sequence = 0;

  constructor(options: LocalCloudOptions) {
    const defaultZone = options.defaultZone ?? LOCAL_CLOUD_DEFAULTS.defaultZone;
    if (!LOCAL_ZONE_IDS.includes(defaultZone)) {
      throw new ConnectorError(
        'CONFIG_INVALID',
        `Default zone "${defaultZone}" is not one of ${LOCAL_ZONE_IDS.join(', ')}.`,
      );
    }
    this.#accounts = new AccountBook(options.accounts);
    this.#delays = {
      bootMs: options.bootDelayMs ?? LOCAL_CLOUD_DEFAULTS.bootDelayMs,
      haltMs: options.haltDelayMs ?? LOCAL_CLOUD_DEFAULTS.haltDelayMs,
    };
    this.#defaultZone = defaultZone;
    this.#accountVmLimit = options.accountVmLimit ?? LOCAL_CLOUD_DEFAULTS.accountVmLimit;
    this.#retentionMs = options.retentionMs ?? LOCAL_CLOUD_DEFAULTS.retentionMs;
    this.#clock = options.clock ?? systemClock;
  }

  /** The account that key and secret open; AUTH_FAILED otherwise. */
  authenticate(key: string, secret: string): string {
    return this.#accounts.authenticate(key, secret);
  }

  /** Creates `count` VMs, or returns the ones an earlier launch with the same key created. */
  launch(account: string, request: LaunchRequest): LocalVm[] {
    const launch: ResolvedLaunch = {
      ...request,
      zone: request.zone ?? this.#defaultZone,
      count: request.count ?? 1,
      tags: { ...request.tags },
    };
    // Replay before any other check: a retry must get its VMs back even if, meanwhile, the
    // account reached its limit.
    const now = this.#clock.now();
    const replayed = this.#launches.replay(account, launch);
    if (replayed !== undefined) return replayed.map((id) => this.#report(this.#record(id), now));

    checkCatalog(launch);
    this.#checkLimit(account, launch.count, now);
    const zoneIndex = LOCAL_ZONE_IDS.indexOf(launch.zone);
    const created: VmRecord[] = [];
    for (let index = 1; index <= launch.count; index += 1) {
      const sequence = ++this.#sequence;
      const record: VmRecord = {
        id: `vm-${String(sequence).padStart(6, '0')}`,
        account,
        name: launch.count === 1 ? launch.name : `${launch.name}-${index}`,
        image: launch.image,
        size: launch.size,
        zone: launch.zone,
        createdAt: now,
        tags: Object.freeze({ ...launch.tags }),
        sshPublicKey: launch.sshPublicKey,
        userData: launch.userData,
        publicIp: publicAddress(sequence),
        privateIp: privateAddress(zoneIndex, sequence),
        phase: { operation: 'launch', since: now },
      };
      this.#vms.set(record.id, record);
      created.push(record);
    }
    const ids = created.map((record) => record.id);
    this.#launches.record(account, launch, ids);
    return created.map((record) => this.#report(record, now));
  }

  /** The account's visible VMs, or those of `ids` among them; other ids are left out. */
  describe(account: string, ids?: readonly string[]): LocalVm[] {
    const now = this.#clock.now();
    const candidates =
      ids === undefined
        ? [...this.#vms.values()].filter((record) => record.account === account)
        : ids.flatMap((id) => {
            const record = this.#vms.get(id);
            return record?.account === account ? [record] : [];
          });
    return candidates
      .filter((record) => this.#isVisible(record, now))
      .map((record) => this.#report(record, now));
  }

  /** Terminates VMs. Already terminating or terminated ones are left as they are: that is success. */
  terminate(account: string, ids: readonly string[]): void {
    const now = this.#clock.now();
    const records = this.#own(account, ids);
    for (const record of records) {
      const state = this.#stateOf(record, now);
      if (state !== 'DELETING' && state !== 'DELETED') this.#apply(record, 'terminate', now);
    }
  }

  /** Stops running VMs; INVALID_REQUEST, changing nothing, when any of them is not running. */
  stop(account: string, ids: readonly string[]): void {
    this.#transition(account, ids, 'stop', 'RUNNING', 'Only running VMs can be stopped');
  }

  /** Starts stopped VMs; INVALID_REQUEST, changing nothing, when any of them is not stopped. */
  start(account: string, ids: readonly string[]): void {
    this.#transition(account, ids, 'start', 'HALTED', 'Only stopped VMs can be started');
  }

  /**
   * Fault injection: puts VMs in `FAILED`, as a broken host would. No contract operation leads
   * here; simulators and tests use it to exercise error paths. VMs being deleted are left alone.
   */
  fail(ids: readonly string[]): void {
    const now = this.#clock.now();
    const records = ids.map((id) => this.#record(id));
    for (const record of records) {
      const state = this.#stateOf(record, now);
      if (state !== 'DELETING' && state !== 'DELETED') this.#apply(record, 'fail', now);
    }
  }

  #transition(
    account: string,
    ids: readonly string[],
    operation: Operation,
    from: LocalNativeState,
    rule: string,
  ): void {
    const now = this.#clock.now();
    const records = this.#own(account, ids);
    // Check every VM before changing any, so that a refused batch leaves the cloud untouched.
    const refused = records.filter((record) => this.#stateOf(record, now) !== from);
    if (refused.length > 0) {
      const states = refused.map((record) => {
        const state = this.#stateOf(record, now);
        return `${record.id} is ${state} (${LOCAL_STATES[state]})`;
      });
      throw new ConnectorError('INVALID_REQUEST', `${rule}: ${states.join(', ')}.`);
    }
    for (const record of records) this.#apply(record, operation, now);
  }

  /** The account's records for `ids`; NOT_FOUND naming every id the account never had. */
  #own(account: string, ids: readonly string[]): VmRecord[] {
    const records = ids.map((id) => this.#vms.get(id));
    // Another account's VM is reported exactly like one that never existed: saying "not yours"
    // would tell a caller which ids are in use.
    const unknown = ids.filter((_, index) => records[index]?.account !== account);
    if (unknown.length > 0) {
      throw new ConnectorError(
        'NOT_FOUND',
        `No VM ${unknown.join(', ')} in this account of the local cloud.`,
      );
    }
    return records.filter((record): record is VmRecord => record !== undefined);
  }

  #record(id: string): VmRecord {
    const record = this.#vms.get(id);
    if (record === undefined) throw new ConnectorError('NOT_FOUND', `No VM ${id} in the local cloud.`);
    return record;
  }

  #apply(record: VmRecord, operation: Operation, now: number): void {
    record.phase = { operation, since: now };
  }

  #stateOf(record: VmRecord, now: number): LocalNativeState {
    return nativeStateAt(record.phase, now, this.#delays);
  }

  /** A terminated VM vanishes from `describe` once its retention period has passed. */
  #isVisible(record: VmRecord, now: number): boolean {
    return (
      record.phase.operation !== 'terminate' ||
      now < completesAt(record.phase, this.#delays) + this.#retentionMs
    );
  }

  /** QUOTA_EXCEEDED when `count` more VMs would take the account past its limit. */
  #checkLimit(account: string, count: number, now: number): void {
    // A VM holds its share until it is fully deleted, as on real clouds; a terminating VM counts.
    let inUse = 0;
    for (const record of this.#vms.values()) {
      if (record.account === account && this.#stateOf(record, now) !== 'DELETED') inUse += 1;
    }
    if (inUse + count > this.#accountVmLimit) {
      throw new ConnectorError(
        'QUOTA_EXCEEDED',
        `Launching ${count} VM(s) would exceed this account's limit of ${this.#accountVmLimit} VMs ` +
          `(${inUse} in use); terminate some first or ask the administrator to raise the limit.`,
      );
    }
  }

  #report(record: VmRecord, now: number): LocalVm {
    const state = this.#stateOf(record, now);
    // Addresses are held from launch until deletion completes, then released.
    const released = state === 'DELETED';
    return {
      id: record.id,
      name: record.name,
      state,
      image: record.image,
      size: record.size,
      zone: record.zone,
      createdAt: record.createdAt,
      publicIps: released ? [] : [record.publicIp],
      privateIps: released ? [] : [record.privateIp],
      // A copy: the caller owns what describe returns (core passes it on as it is).
      tags: { ...record.tags },
      sshPublicKey: record.sshPublicKey,
      userData: record.userData,
    };
  }
}

const IMAGE_IDS = LOCAL_IMAGES.map((image) => image.id);
const SIZE_IDS = LOCAL_SIZES.map((size) => size.id);

/** INVALID_REQUEST naming every unknown image, size or zone, with the valid ids. */
function checkCatalog(launch: ResolvedLaunch): void {
  const problems: string[] = [];
  const check = (what: string, value: string, valid: readonly string[]): void => {
    if (!valid.includes(value))
      problems.push(`unknown ${what} "${value}"; valid ${what}s: ${valid.join(', ')}`);
  };
  check('image', launch.image, IMAGE_IDS);
  check('size', launch.size, SIZE_IDS);
  check('zone', launch.zone, LOCAL_ZONE_IDS);
  if (problems.length > 0) {
    const message = `The local cloud cannot launch this: ${problems.join('; ')}.`;
    throw new ConnectorError('INVALID_REQUEST', message, {
      problems: problems.map((text) => ({ message: text })),
    });
  }
}
