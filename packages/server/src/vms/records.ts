/**
 * VM records as the API shows them, and the launch request as a record stores it.
 *
 * One record per VM: the launch's own record carries the caller's idempotency key and the first
 * VM; with `count` > 1 the other VMs get records keyed `<key>#2`, `<key>#3`... (a `#` never appears
 * in a caller's key), so ownership, termination and quota all work per VM. A record still
 * `launching` stands for all `count` VMs it may become.
 */

import { createHash } from 'node:crypto';
import type { LaunchRequest, Tags, Vm } from '@slipstream/connector-core';
import type { JsonObject, VmRecord, VmRecordState, VmRecordSummary } from '../store/types.js';
import { accountLabel } from './accounts.js';

/** Records that hold (or may hold) a VM in the cloud: they count against the quota. */
export const LIVE_STATES: readonly VmRecordState[] = ['launching', 'launched', 'terminating'];
/** Records `GET /api/vms` shows: terminated ones are history. */
export const LISTED_STATES: readonly VmRecordState[] = ['launching', 'launched', 'failed', 'terminating'];

/** The idempotency key of the n-th (1-based) VM of a launch; the first VM keeps the caller's key. */
export function vmKey(launchKey: string, position: number): string {
  return position === 1 ? launchKey : `${launchKey}#${position}`;
}

/** Characters of the caller's key kept readable in the connector's key (84 + "." + 43 = core's limit of 128). */
const READABLE_KEY_LENGTH = 84;

/**
 * The idempotency key the connector gets for a launch: the caller's key scoped to its owner and
 * instance. Callers choose keys (`build-1`), and a connector finds the first try's VMs by key
 * within the cloud account; users sharing an account would otherwise get each other's VMs back,
 * recorded as their own. The caller's key stays readable in front, for whoever looks in the cloud.
 */
export function connectorKey(record: Pick<VmRecord, 'ownerId' | 'instance' | 'idempotencyKey'>): string {
  const scope = createHash('sha256')
    .update(`${record.ownerId}\u0000${record.instance}\u0000${record.idempotencyKey}`)
    .digest('base64url');
  return `${record.idempotencyKey.slice(0, READABLE_KEY_LENGTH)}.${scope}`;
}

/** The launch request without its key, as stored in the record. */
export type StoredRequest = Omit<LaunchRequest, 'idempotencyKey'>;

export function toStoredRequest(request: StoredRequest): JsonObject {
  const stored: Record<string, JsonObject[string]> = {
    name: request.name,
    image: request.image,
    size: request.size,
    count: request.count ?? 1,
  };
  if (request.zone !== undefined) stored.zone = request.zone;
  if (request.sshPublicKey !== undefined) stored.sshPublicKey = request.sshPublicKey;
  if (request.userData !== undefined) stored.userData = request.userData;
  if (request.tags !== undefined) stored.tags = { ...request.tags };
  return stored;
}

/** The launch request a record was made for, to launch it again with the same (scoped) key. */
export function launchRequestOf(record: VmRecord): LaunchRequest {
  const stored = record.request;
  const text = (key: string): string | undefined =>
    typeof stored[key] === 'string' ? (stored[key] as string) : undefined;
  const tags = stored.tags;
  return {
    name: text('name') ?? record.name,
    image: text('image') ?? '',
    size: text('size') ?? '',
    zone: text('zone'),
    count: typeof stored.count === 'number' ? stored.count : 1,
    sshPublicKey: text('sshPublicKey'),
    userData: text('userData'),
    tags:
      typeof tags === 'object' && tags !== null && !Array.isArray(tags)
        ? (Object.fromEntries(Object.entries(tags).filter(([, value]) => typeof value === 'string')) as Tags)
        : undefined,
    idempotencyKey: connectorKey(record),
  };
}

/** True when two stored requests ask for the same launch (tag order carries no meaning). */
export function sameRequest(a: JsonObject, b: JsonObject): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How many VMs a record stands for against the quota. */
export function liveVmCount(record: VmRecord): number {
  if (!LIVE_STATES.includes(record.state)) return 0;
  if (record.state !== 'launching') return 1;
  return typeof record.request.count === 'number' ? record.request.count : 1;
}

/** One VM as the API shows it: the server's record, with the cloud's view when it answered. */
export interface VmView {
  readonly instance: string;
  readonly recordId: string;
  readonly idempotencyKey: string;
  /** The owner's user name. */
  readonly owner: string;
  readonly name: string;
  readonly recordState: VmRecordState;
  readonly cloudId?: string;
  /** The cloud account that launched it (accounts.ts), shortened for people to compare. */
  readonly account?: string;
  /**
   * Set when the owner's saved credentials open another cloud account than the one that launched
   * the VM: the server cannot see or manage it until that account's credentials are saved again.
   * Says which account is needed.
   */
  readonly unreachable?: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly recordedAt: string;
  readonly updatedAt: string;
  /** The cloud's description; absent while launching, after a failure, or when the cloud did not answer. */
  readonly vm?: Vm;
}

/**
 * The view of a record, built with its keys in the order the API's schema writes them and the
 * cloud's VM reduced to the fields of the VM model (cloudVmView), so that the answer can be
 * serialised by JSON.stringify directly: a listing builds one view per VM, and nothing else.
 */
export function toView(record: VmRecordSummary, owner: string, vm?: Vm, unreachable?: string): VmView {
  const view: { -readonly [K in keyof VmView]: VmView[K] } = {
    instance: record.instance,
    recordId: record.id,
    idempotencyKey: record.idempotencyKey,
    owner,
    name: record.name,
    recordState: record.state,
    recordedAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.cloudId !== undefined) view.cloudId = record.cloudId;
  if (record.account !== undefined) view.account = accountLabel(record.account);
  if (unreachable !== undefined) view.unreachable = unreachable;
  if (record.error !== undefined) view.error = { code: record.error.code, message: record.error.message };
  if (vm !== undefined) view.vm = cloudVmView(vm);
  return view;
}

/**
 * The cloud's VM as the API shows it: the fields of the VM model only (a connector may return
 * more), each as the schema says: text fields as text, the way the response schema's serialiser
 * made them (core's session guard makes the required ones strings, not the others).
 */
export function cloudVmView(vm: Vm): Vm {
  const view: { -readonly [K in keyof Vm]: Vm[K] } = {
    id: text(vm.id),
    name: text(vm.name),
    state: vm.state,
    rawState: text(vm.rawState),
    publicIps: texts(vm.publicIps),
    privateIps: texts(vm.privateIps),
    tags: textTags(vm.tags),
  };
  if (vm.image !== undefined) view.image = text(vm.image);
  if (vm.size !== undefined) view.size = text(vm.size);
  if (vm.zone !== undefined) view.zone = text(vm.zone);
  if (vm.createdAt !== undefined) view.createdAt = text(vm.createdAt);
  return view;
}

/** A value as a string field of the answer: null as "", a date in ISO 8601, anything else as String() writes it. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function texts(values: readonly string[]): readonly string[] {
  for (const value of values) if (typeof value !== 'string') return values.map(text);
  return values;
}

function textTags(tags: Tags): Tags {
  for (const key in tags) {
    if (typeof tags[key] !== 'string')
      return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, text(v)]));
  }
  return tags;
}
