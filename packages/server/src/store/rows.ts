import { createHash, randomUUID } from 'node:crypto';
import { ServerError } from '../errors.js';
import {
  type ApiTokenRecord,
  type Configuration,
  type JsonObject,
  type LoginThrottle,
  type NewApiToken,
  type NewUser,
  ROLES,
  type StoredValue,
  type UserRecord,
  VM_RECORD_STATES,
  type VmRecord,
  type VmRecordState,
  type VmRecordSummary,
} from './types.js';

/*
 * Converting between store records and SQLite rows, and checking input before it is written, so
 * that bad input fails with a message naming the field instead of a constraint error.
 */

export function sqliteCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

// ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER, other foreign key checks _FOREIGNKEY.
export function isForeignKeyError(error: unknown): boolean {
  return sqliteCode(error).startsWith('SQLITE_CONSTRAINT') && /FOREIGN KEY/.test((error as Error).message);
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'number' && !Number.isFinite(item)) throw new Error('non-finite number');
      if (typeof item === 'bigint' || typeof item === 'function' || typeof item === 'symbol') {
        throw new Error(`${typeof item} value`);
      }
      return item;
    });
  } catch (error) {
    throw new ServerError(
      'INVALID_REQUEST',
      `${what} is not plain JSON (${(error as Error).message}); use strings, finite numbers, booleans, null, arrays and objects.`,
    );
  }
  if (text === undefined) {
    throw new ServerError('INVALID_REQUEST', `${what} is missing; give a JSON value (null for none).`);
  }
  return text;
}

/** Timestamps are compared as text, so every one is stored in the one toISOString() form. */
export function isoTimestamp(value: unknown, what: string): string {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new ServerError(
      'INVALID_REQUEST',
      `${what} must be an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z.`,
    );
  }
  return new Date(time).toISOString();
}

export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new ServerError('INVALID_REQUEST', `${what} must be a non-empty string.`);
  }
  return value;
}

export interface ValueRow {
  key: string;
  value_json: string | null;
  secret_blob: string | null;
}

export function valueColumns(key: string, value: StoredValue, what: string): [string | null, string | null] {
  if (value?.kind === 'plain') return [toJson(value.value, `${what} "${key}"`), null];
  if (value?.kind === 'secret')
    return [null, requireText(value.blob, `The encrypted blob of ${what} "${key}"`)];
  throw new ServerError(
    'INVALID_REQUEST',
    `${what} "${key}" must be { kind: 'plain', value } or { kind: 'secret', blob }.`,
  );
}

export function valuesFromRows(rows: readonly ValueRow[]): Record<string, StoredValue> {
  const values: Record<string, StoredValue> = {};
  for (const row of rows) {
    values[row.key] =
      row.secret_blob !== null
        ? { kind: 'secret', blob: row.secret_blob }
        : { kind: 'plain', value: JSON.parse(row.value_json ?? 'null') };
  }
  return values;
}

export interface UserRow {
  id: string;
  name: string;
  role: 'admin' | 'user';
  password_hash: string;
  created_at: string;
  disabled: number;
}

export function userFromRow(row: UserRow): UserRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    ...(row.disabled === 1 ? { disabled: true } : {}),
  };
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export function tokenFromRow(row: TokenRow): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    ...(row.last_used_at !== null ? { lastUsedAt: row.last_used_at } : {}),
  };
}

export interface VmRow {
  id: string;
  owner_id: string;
  instance: string;
  idempotency_key: string;
  cloud_id: string | null;
  account: string | null;
  name: string;
  state: VmRecordState;
  request_json: string;
  error_json: string | null;
  lease_owner: string | null;
  /** ms since the epoch; PostgreSQL's driver returns BIGINT as text. */
  lease_until: number | string | null;
  created_at: string;
  updated_at: string;
}

export function vmFromRow(row: VmRow): VmRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    instance: row.instance,
    idempotencyKey: row.idempotency_key,
    ...(row.cloud_id !== null ? { cloudId: row.cloud_id } : {}),
    ...(row.account !== null ? { account: row.account } : {}),
    name: row.name,
    state: row.state,
    request: JSON.parse(row.request_json) as JsonObject,
    ...(row.error_json !== null ? { error: JSON.parse(row.error_json) } : {}),
    ...(row.lease_owner !== null && row.state === 'launching'
      ? { lease: { owner: row.lease_owner, expiresAt: new Date(Number(row.lease_until)).toISOString() } }
      : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns of a VM record but its launch request, in the order of {@link VmSummaryValues}. */
export const VM_SUMMARY_COLUMNS =
  'id, owner_id, instance, idempotency_key, cloud_id, account, name, state, error_json, lease_owner, lease_until, created_at, updated_at';

export type VmSummaryRow = Omit<VmRow, 'request_json'>;

/** A row of VM_SUMMARY_COLUMNS as its values (SQLite's raw rows: no object per row to build). */
export type VmSummaryValues = readonly [
  id: string,
  ownerId: string,
  instance: string,
  idempotencyKey: string,
  cloudId: string | null,
  account: string | null,
  name: string,
  state: VmRecordState,
  errorJson: string | null,
  leaseOwner: string | null,
  leaseUntil: number | string | null,
  createdAt: string,
  updatedAt: string,
];

export function vmSummaryFromRow(row: VmSummaryRow): VmRecordSummary {
  return vmSummaryFromValues([
    row.id,
    row.owner_id,
    row.instance,
    row.idempotency_key,
    row.cloud_id,
    row.account,
    row.name,
    row.state,
    row.error_json,
    row.lease_owner,
    row.lease_until,
    row.created_at,
    row.updated_at,
  ]);
}

/**
 * A listed row as a record without its request. Built field by field rather than with spreads: a
 * listing maps thousands of rows, and each spread would allocate an object to throw away.
 */
export function vmSummaryFromValues(values: VmSummaryValues): VmRecordSummary {
  const state = values[7];
  const record: { -readonly [K in keyof VmRecordSummary]: VmRecordSummary[K] } = {
    id: values[0],
    ownerId: values[1],
    instance: values[2],
    idempotencyKey: values[3],
    name: values[6],
    state,
    createdAt: values[11],
    updatedAt: values[12],
  };
  const cloudId = values[4];
  const account = values[5];
  const errorJson = values[8];
  const leaseOwner = values[9];
  if (cloudId !== null) record.cloudId = cloudId;
  if (account !== null) record.account = account;
  if (errorJson !== null) record.error = JSON.parse(errorJson);
  if (leaseOwner !== null && state === 'launching') {
    record.lease = { owner: leaseOwner, expiresAt: new Date(Number(values[10])).toISOString() };
  }
  return record;
}

/** A lease's length: a whole number of milliseconds, 0 or more. */
export function leaseMs(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) {
    throw new ServerError(
      'INVALID_REQUEST',
      `A lease must last a whole number of milliseconds, not ${String(ms)}.`,
    );
  }
  return ms;
}

export interface ThrottleRow {
  failures_json: string;
  locked_until: number | string;
  lockouts: number;
  last_activity: number | string;
}

export function throttleFromRow(row: ThrottleRow): LoginThrottle {
  return {
    failures: JSON.parse(row.failures_json) as number[],
    lockedUntil: Number(row.locked_until),
    lockouts: Number(row.lockouts),
    lastActivity: Number(row.last_activity),
  };
}

export function checkState(state: unknown): VmRecordState {
  if (!VM_RECORD_STATES.includes(state as VmRecordState)) {
    throw new ServerError(
      'INVALID_REQUEST',
      `VM record state "${String(state)}" is unknown; use one of ${VM_RECORD_STATES.join(', ')}.`,
    );
  }
  return state as VmRecordState;
}

export function checkRole(role: unknown): void {
  if (!ROLES.includes(role as never)) {
    throw new ServerError('INVALID_REQUEST', `Role "${String(role)}" is unknown; use admin or user.`);
  }
}

/*
 * Refusals both stores give in the same words.
 */

export function missingUser(id: string): ServerError {
  return new ServerError('NOT_FOUND', `There is no user with id ${id}; list the users to find the right id.`);
}

/** The duplicate error, naming the account that holds the name as it is spelt there. */
export function nameTaken(name: string, existing = name): ServerError {
  return new ServerError(
    'INVALID_REQUEST',
    existing === name
      ? `A user named "${name}" already exists; choose another name.`
      : `A user named "${existing}" already exists, and user names that differ only in case are ` +
          `the same name; choose another name than "${name}".`,
  );
}

export function ownsVms(id: string): ServerError {
  return new ServerError(
    'INVALID_REQUEST',
    `User ${id} still owns VM records; terminate and remove their VMs first, or disable the user instead.`,
  );
}

/*
 * New rows, checked and encoded before the first write, the same for both stores.
 */

export function newUserRecord(user: NewUser, createdAt: string): UserRecord {
  const name = requireText(user.name, 'The user name');
  checkRole(user.role);
  return {
    id: randomUUID(),
    name,
    role: user.role,
    passwordHash: requireText(user.passwordHash, 'The password hash'),
    createdAt,
    ...(user.disabled === true ? { disabled: true } : {}),
  };
}

export function newApiTokenRecord(token: NewApiToken, createdAt: string): ApiTokenRecord {
  return {
    id: randomUUID(),
    userId: token.userId,
    name: requireText(token.name, 'The token name'),
    tokenHash: requireText(token.tokenHash, 'The token hash'),
    createdAt,
  };
}

/** A configuration as rows: its settings as [key, value] and its parameters as [instance, key, json, blob]. */
export interface ConfigurationRows {
  readonly connectors: string;
  readonly settings: readonly [string, string][];
  readonly parameters: readonly [string, string, string | null, string | null][];
}

export function configurationRows(configuration: Configuration): ConfigurationRows {
  const basics = configuration?.basics;
  if (typeof basics?.connectors !== 'string') {
    throw new ServerError('INVALID_REQUEST', 'basics.connectors must be the connector list as a string.');
  }
  const settings = Object.entries(basics.settings ?? {});
  for (const [key, value] of settings) {
    if (typeof value !== 'string') {
      throw new ServerError('INVALID_REQUEST', `Setting "${key}" must be a string.`);
    }
  }
  const parameters: [string, string, string | null, string | null][] = [];
  for (const [instance, values] of Object.entries(configuration.instances ?? {})) {
    requireText(instance, 'An instance name');
    for (const [key, value] of Object.entries(values ?? {})) {
      parameters.push([instance, key, ...valueColumns(key, value, `Parameter of instance "${instance}"`)]);
    }
  }
  return { connectors: basics.connectors, settings, parameters };
}

/** A per-user VM quota: a whole number, 0 or more. */
export function checkVmQuota(instance: string, vm: number): number {
  if (!Number.isSafeInteger(vm) || vm < 0) {
    throw new ServerError(
      'INVALID_REQUEST',
      `The VM quota for instance "${instance}" must be a whole number of 0 or more, not ${String(vm)}.`,
    );
  }
  requireText(instance, 'The instance name');
  return vm;
}
