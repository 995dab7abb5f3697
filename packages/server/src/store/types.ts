/**
 * The one interface every part of the server uses to persist state. The embedded implementation is
 * SQLite (sqlite.ts); PostgreSQL (postgres.ts) backs several server replicas sharing one database.
 * Both pass one conformance suite (conformance.ts), so callers cannot tell them apart.
 *
 * Records are plain data. Timestamps are ISO 8601 strings in UTC. Secret values (instance parameters,
 * credentials) arrive already encrypted: the store keeps the caller's opaque blob and never sees
 * plaintext, so a leaked database file reveals no secret without the server's key.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export type Role = 'admin' | 'user';
export const ROLES: readonly Role[] = ['admin', 'user'];

export interface UserRecord {
  readonly id: string;
  /** Login name, unique case-insensitively; kept as spelt when the account was created. */
  readonly name: string;
  readonly role: Role;
  /** The password hash string produced by the auth layer (scrypt/argon2, with its parameters). */
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly disabled?: boolean;
}

export interface NewUser {
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly disabled?: boolean;
}

export interface UserPatch {
  readonly role?: Role;
  readonly passwordHash?: string;
  readonly disabled?: boolean;
}

/**
 * An account renamed when user names became unique case-insensitively (store migration 3): it had
 * a name equal but for case to an older account's, and must log in with `newName` since.
 */
export interface UserRename {
  readonly userId: string;
  readonly oldName: string;
  readonly newName: string;
  readonly renamedAt: string;
}

/**
 * A login session. `id` is the random value the cookie carries; the store keeps only its SHA-256
 * hash, so reading the database does not let anyone take over a session.
 */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface ApiTokenRecord {
  readonly id: string;
  readonly userId: string;
  /** Unique per user; says what the token is for. */
  readonly name: string;
  /** Hash of the bearer token, computed by the auth layer; the token itself is never stored. */
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly lastUsedAt?: string;
}

export interface NewApiToken {
  readonly userId: string;
  readonly name: string;
  readonly tokenHash: string;
}

/** A stored parameter or credential value: plain JSON, or a secret as the caller's encrypted blob. */
export type StoredValue =
  | { readonly kind: 'plain'; readonly value: JsonValue }
  | { readonly kind: 'secret'; readonly blob: string };

export type StoredValues = Readonly<Record<string, StoredValue>>;

/** The "SlipStream Basics" section. */
export interface ConfigurationBasics {
  /** The connector list text, e.g. `local,lab2:local`. */
  readonly connectors: string;
  /** The other server settings, by name. */
  readonly settings: Readonly<Record<string, string>>;
}

export interface Configuration {
  readonly basics: ConfigurationBasics;
  /** Per connector instance: its parameter values by parameter key. */
  readonly instances: Readonly<Record<string, StoredValues>>;
}

export interface StoredConfiguration extends Configuration {
  readonly updatedAt: string;
}

export interface CredentialSet {
  readonly userId: string;
  readonly instance: string;
  readonly values: StoredValues;
  readonly updatedAt: string;
}

export interface CredentialSummary {
  readonly instance: string;
  readonly updatedAt: string;
}

export interface QuotaOverride {
  readonly userId: string;
  readonly instance: string;
  /** Maximum number of VMs this user may have on this instance (overrides the instance's `quota.vm`). */
  readonly vm: number;
}

/** Where a server-side launch or termination stands; the cloud's own VM state is asked from the cloud. */
export type VmRecordState = 'launching' | 'launched' | 'failed' | 'terminating' | 'terminated';
export const VM_RECORD_STATES: readonly VmRecordState[] = [
  'launching',
  'launched',
  'failed',
  'terminating',
  'terminated',
];

export interface VmRecordError {
  /** A ServerError or ConnectorError code: the server refused, or the cloud or connector said so. */
  readonly code: string;
  readonly message: string;
}

export interface VmRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly instance: string;
  /** Unique per owner and instance: a retried launch finds the record (and the cloud VM) by it. */
  readonly idempotencyKey: string;
  /** The cloud's VM id, once the cloud has answered. */
  readonly cloudId?: string;
  /**
   * Which cloud account launched the VM: the digest of the non-secret part of the credentials it
   * was launched with (see vms/accounts.ts), never a secret. Absent on records made before it was
   * recorded.
   */
  readonly account?: string;
  readonly name: string;
  readonly state: VmRecordState;
  /** The launch request as sent to the connector. */
  readonly request: JsonObject;
  readonly error?: VmRecordError;
  /** While `launching`: which server replica runs the launch, and until when unless it renews. */
  readonly lease?: LaunchLease;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * A VM record without its launch request: what a listing of VMs needs. The request is the largest
 * part of a record (user data can be a megabyte) and only a relaunch reads it.
 */
export type VmRecordSummary = Omit<VmRecord, 'request'>;

/**
 * A replica's claim on a launch it runs. It renews the lease while the cloud call lasts; once the
 * lease expires (the replica died), another replica claims the launch and finishes it with the
 * same idempotency key. A record leaves its lease behind when it leaves `launching`.
 */
export interface LaunchLease {
  /** The replica's id (see {@link LaunchLeaseStore}). */
  readonly owner: string;
  /** ISO 8601, by the store's clock (the database's, for PostgreSQL). */
  readonly expiresAt: string;
}

/** Who takes a lease, and for how long from now by the store's clock. */
export interface LeaseRequest {
  readonly owner: string;
  readonly ms: number;
}

export interface NewVmRecord {
  readonly ownerId: string;
  readonly instance: string;
  readonly idempotencyKey: string;
  readonly name: string;
  readonly request: JsonObject;
  readonly state?: VmRecordState;
  readonly cloudId?: string;
  readonly account?: string;
  /** A `launching` record is leased to the replica that runs it. */
  readonly lease?: LeaseRequest;
}

/** Fields a launch or termination updates; `null` clears an optional field. */
export interface VmRecordPatch {
  readonly state?: VmRecordState;
  readonly cloudId?: string | null;
  readonly account?: string | null;
  readonly name?: string;
  readonly error?: VmRecordError | null;
  /** Leaving `launching` clears the lease whatever this says. */
  readonly lease?: LeaseRequest | null;
}

export interface VmRecordFilter {
  readonly ownerId?: string;
  readonly instance?: string;
  readonly states?: readonly VmRecordState[];
}

/*
 * The store, one interface per aggregate. A part of the server that needs only one aggregate can
 * ask for that interface; `Store` is all of them together with transactions.
 */

/** Users. Names are unique case-insensitively (`Alice` and `alice` are one name); a duplicate is INVALID_REQUEST. */
export interface UserStore {
  createUser(user: NewUser): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  /** Case-insensitive: `ALICE` finds the user created as `alice`. */
  getUserByName(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** The accounts renamed to make names unique case-insensitively, oldest rename first. */
  listUserRenames(): Promise<UserRename[]>;
  /** NOT_FOUND when the user does not exist. */
  updateUser(id: string, patch: UserPatch): Promise<UserRecord>;
  /**
   * Deletes the user with their sessions, tokens, credentials and quota overrides. Refused
   * (INVALID_REQUEST) while VM records name them as owner, so no launched VM loses its owner.
   */
  deleteUser(id: string): Promise<void>;
}

/** Login sessions, looked up by the raw id (hashed inside the store). */
export interface LoginSessionStore {
  createSession(session: SessionRecord): Promise<void>;
  /** Returns the session even when expired; the caller compares expiresAt with its clock. */
  getSession(id: string): Promise<SessionRecord | undefined>;
  deleteSession(id: string): Promise<void>;
  deleteSessionsOfUser(userId: string): Promise<number>;
  /** Removes sessions whose expiresAt is not after `now`; returns how many. */
  deleteExpiredSessions(now: string): Promise<number>;
}

/** API tokens. Names are unique per user, token hashes globally. */
export interface ApiTokenStore {
  createApiToken(token: NewApiToken): Promise<ApiTokenRecord>;
  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>;
  touchApiToken(id: string, usedAt: string): Promise<void>;
  deleteApiToken(id: string): Promise<void>;
}

/** The configuration: undefined until first saved (the server then seeds it from file and environment). */
export interface ConfigurationStore {
  getConfiguration(): Promise<StoredConfiguration | undefined>;
  /** Replaces basics and every instance section at once: all of it is written, or none. */
  replaceConfiguration(configuration: Configuration): Promise<StoredConfiguration>;
}

/** Credentials, one set per (user, instance); put replaces the whole set. */
export interface CredentialStore {
  getCredentials(userId: string, instance: string): Promise<CredentialSet | undefined>;
  listCredentials(userId: string): Promise<CredentialSummary[]>;
  putCredentials(userId: string, instance: string, values: StoredValues): Promise<CredentialSet>;
  deleteCredentials(userId: string, instance: string): Promise<boolean>;
}

/** Per-user quota overrides per instance. */
export interface QuotaStore {
  getQuotaOverride(userId: string, instance: string): Promise<QuotaOverride | undefined>;
  listQuotaOverrides(userId?: string): Promise<QuotaOverride[]>;
  /** `undefined` removes the override. */
  setQuotaOverride(userId: string, instance: string, vm: number | undefined): Promise<void>;
}

/** The server's records of VM launches and terminations. */
export interface VmRecordStore {
  /**
   * Records a launch before the cloud call. When a record with the same owner, instance and
   * idempotency key exists, returns it with `created: false` instead, so a retried launch reuses it.
   */
  createVmRecord(record: NewVmRecord): Promise<{ record: VmRecord; created: boolean }>;
  getVmRecord(id: string): Promise<VmRecord | undefined>;
  findVmRecord(ownerId: string, instance: string, idempotencyKey: string): Promise<VmRecord | undefined>;
  listVmRecords(filter?: VmRecordFilter): Promise<VmRecord[]>;
  /**
   * The records `listVmRecords` gives, without their launch requests (the stored requests are
   * neither read nor decoded), in no particular order: listings order them their own way.
   */
  listVmRecordSummaries(filter?: VmRecordFilter): Promise<VmRecordSummary[]>;
  /** NOT_FOUND when the record does not exist. */
  updateVmRecord(id: string, patch: VmRecordPatch): Promise<VmRecord>;
  deleteVmRecord(id: string): Promise<boolean>;
}

/**
 * Leases on running launches, so that launches survive the loss of the replica running them.
 * A replica's id is random per process: a restarted replica does not own its earlier leases.
 */
export interface LaunchLeaseStore {
  /** Extends by `ms` the leases `owner` still holds among `ids`; returns the ids it holds. */
  renewLaunchLeases(owner: string, ids: readonly string[], ms: number): Promise<string[]>;
  /**
   * Leases to `owner` up to `limit` records left `launching` on `instances` whose lease expired
   * (or that never had one), oldest first. Replicas claiming at once never take the same record.
   */
  claimLaunches(claim: LaunchClaim): Promise<VmRecord[]>;
}

export interface LaunchClaim extends LeaseRequest {
  readonly instances: readonly string[];
  readonly limit: number;
  /** Only these records (a retried launch claims its own); any by default. */
  readonly ids?: readonly string[] | undefined;
}

/** Failed logins of one limiter key (see security/rate-limit.ts); times in ms since the epoch. */
export interface LoginThrottle {
  /** Failure times inside the window, oldest first. */
  readonly failures: readonly number[];
  readonly lockedUntil: number;
  /** Lockouts so far; sets the next lockout's length. */
  readonly lockouts: number;
  readonly lastActivity: number;
}

/** Login limits, kept in the store so that every replica counts the same failures. */
export interface LoginThrottleStore {
  getLoginThrottle(key: string): Promise<LoginThrottle | undefined>;
  /** `undefined` forgets the key. */
  putLoginThrottle(key: string, throttle: LoginThrottle | undefined): Promise<void>;
  /** Forgets the keys whose last activity and lockout both ended before `before`; returns how many. */
  deleteLoginThrottles(before: number): Promise<number>;
}

/** Small values the server keeps about itself, such as the check value of its secret key. */
export interface ServerValueStore {
  getServerValue(key: string): Promise<string | undefined>;
  /** Stores `value` unless `key` has one already; returns the value now stored (the first writer's). */
  initServerValue(key: string, value: string): Promise<string>;
}

export interface TransactionOptions {
  /** What the transaction's checks are about; transactions of other scopes do not wait for it. */
  readonly scope?: string | undefined;
}

/** Which store this is, for /api/health and logs: never a password. */
export interface StoreDescription {
  readonly kind: 'sqlite' | 'postgresql';
  /** The SQLite file, or the database URL without its password. */
  readonly location: string;
}

export interface Store
  extends UserStore,
    LoginSessionStore,
    ApiTokenStore,
    ConfigurationStore,
    CredentialStore,
    QuotaStore,
    VmRecordStore,
    LaunchLeaseStore,
    LoginThrottleStore,
    ServerValueStore {
  readonly description: StoreDescription;

  /** Resolves when the database answers; STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;

  /**
   * Runs `fn` in one transaction: every change made through `tx` (or through this store from
   * inside `fn`) commits together when `fn` resolves and is rolled back when it rejects. Nested
   * calls become savepoints of the enclosing transaction; run nested transactions one after
   * another, not concurrently.
   *
   * Transactions of one scope run one at a time, in every process using the database, so a check
   * made inside (a quota, the last administrator) still holds when the transaction commits.
   * `scope` names what the checks are about, e.g. one user's quota on one instance; transactions
   * without one share a single scope. (SQLite runs every transaction one at a time whatever its
   * scope: it has one writer.)
   */
  transaction<T>(fn: (tx: Store) => Promise<T>, options?: TransactionOptions): Promise<T>;

  /** Waits for running work, then closes; later calls fail. */
  close(): Promise<void>;
}
