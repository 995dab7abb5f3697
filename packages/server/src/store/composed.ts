import type {
  ApiTokenRecord,
  ApiTokenStore,
  Configuration,
  ConfigurationStore,
  CredentialSet,
  CredentialStore,
  CredentialSummary,
  LaunchClaim,
  LaunchLeaseStore,
  LoginSessionStore,
  LoginThrottle,
  LoginThrottleStore,
  NewApiToken,
  NewUser,
  NewVmRecord,
  QuotaOverride,
  QuotaStore,
  ServerValueStore,
  SessionRecord,
  Store,
  StoreDescription,
  StoredConfiguration,
  StoredValues,
  TransactionOptions,
  UserPatch,
  UserRecord,
  UserRename,
  UserStore,
  VmRecord,
  VmRecordFilter,
  VmRecordPatch,
  VmRecordStore,
  VmRecordSummary,
} from './types.js';

/** One object per aggregate: how an implementation (SQLite, PostgreSQL) splits its store. */
export interface StoreParts {
  readonly users: UserStore;
  readonly sessions: LoginSessionStore;
  readonly apiTokens: ApiTokenStore;
  readonly configuration: ConfigurationStore;
  readonly credentials: CredentialStore;
  readonly quotas: QuotaStore;
  readonly vmRecords: VmRecordStore & LaunchLeaseStore;
  readonly serverState: LoginThrottleStore & ServerValueStore;
}

/**
 * A store made of its aggregates: every data method is passed to the part that owns it, so an
 * implementation writes only its parts, transactions, closing and health.
 */
export abstract class ComposedStore implements Store {
  constructor(private readonly parts: StoreParts) {}

  abstract readonly description: StoreDescription;
  abstract ping(): Promise<void>;
  abstract transaction<T>(fn: (tx: Store) => Promise<T>, options?: TransactionOptions): Promise<T>;
  abstract close(): Promise<void>;

  // Users

  createUser(user: NewUser): Promise<UserRecord> {
    return this.parts.users.createUser(user);
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    return this.parts.users.getUser(id);
  }

  getUserByName(name: string): Promise<UserRecord | undefined> {
    return this.parts.users.getUserByName(name);
  }

  listUsers(): Promise<UserRecord[]> {
    return this.parts.users.listUsers();
  }

  listUserRenames(): Promise<UserRename[]> {
    return this.parts.users.listUserRenames();
  }

  updateUser(id: string, patch: UserPatch): Promise<UserRecord> {
    return this.parts.users.updateUser(id, patch);
  }

  deleteUser(id: string): Promise<void> {
    return this.parts.users.deleteUser(id);
  }

  // Login sessions

  createSession(session: SessionRecord): Promise<void> {
    return this.parts.sessions.createSession(session);
  }

  getSession(id: string): Promise<SessionRecord | undefined> {
    return this.parts.sessions.getSession(id);
  }

  deleteSession(id: string): Promise<void> {
    return this.parts.sessions.deleteSession(id);
  }

  deleteSessionsOfUser(userId: string): Promise<number> {
    return this.parts.sessions.deleteSessionsOfUser(userId);
  }

  deleteExpiredSessions(now: string): Promise<number> {
    return this.parts.sessions.deleteExpiredSessions(now);
  }

  // API tokens

  createApiToken(token: NewApiToken): Promise<ApiTokenRecord> {
    return this.parts.apiTokens.createApiToken(token);
  }

  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    return this.parts.apiTokens.findApiTokenByHash(tokenHash);
  }

  listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    return this.parts.apiTokens.listApiTokens(userId);
  }

  touchApiToken(id: string, usedAt: string): Promise<void> {
    return this.parts.apiTokens.touchApiToken(id, usedAt);
  }

  deleteApiToken(id: string): Promise<void> {
    return this.parts.apiTokens.deleteApiToken(id);
  }

  // Configuration

  getConfiguration(): Promise<StoredConfiguration | undefined> {
    return this.parts.configuration.getConfiguration();
  }

  replaceConfiguration(configuration: Configuration): Promise<StoredConfiguration> {
    return this.parts.configuration.replaceConfiguration(configuration);
  }

  // Credentials

  getCredentials(userId: string, instance: string): Promise<CredentialSet | undefined> {
    return this.parts.credentials.getCredentials(userId, instance);
  }

  listCredentials(userId: string): Promise<CredentialSummary[]> {
    return this.parts.credentials.listCredentials(userId);
  }

  putCredentials(userId: string, instance: string, values: StoredValues): Promise<CredentialSet> {
    return this.parts.credentials.putCredentials(userId, instance, values);
  }

  deleteCredentials(userId: string, instance: string): Promise<boolean> {
    return this.parts.credentials.deleteCredentials(userId, instance);
  }

  // Quota overrides

  getQuotaOverride(userId: string, instance: string): Promise<QuotaOverride | undefined> {
    return this.parts.quotas.getQuotaOverride(userId, instance);
  }

  listQuotaOverrides(userId?: string): Promise<QuotaOverride[]> {
    return this.parts.quotas.listQuotaOverrides(userId);
  }

  setQuotaOverride(userId: string, instance: string, vm: number | undefined): Promise<void> {
    return this.parts.quotas.setQuotaOverride(userId, instance, vm);
  }

  // VM records

  createVmRecord(record: NewVmRecord): Promise<{ record: VmRecord; created: boolean }> {
    return this.parts.vmRecords.createVmRecord(record);
  }

  getVmRecord(id: string): Promise<VmRecord | undefined> {
    return this.parts.vmRecords.getVmRecord(id);
  }

  findVmRecord(ownerId: string, instance: string, idempotencyKey: string): Promise<VmRecord | undefined> {
    return this.parts.vmRecords.findVmRecord(ownerId, instance, idempotencyKey);
  }

  listVmRecords(filter?: VmRecordFilter): Promise<VmRecord[]> {
    return this.parts.vmRecords.listVmRecords(filter);
  }

  listVmRecordSummaries(filter?: VmRecordFilter): Promise<VmRecordSummary[]> {
    return this.parts.vmRecords.listVmRecordSummaries(filter);
  }

  updateVmRecord(id: string, patch: VmRecordPatch): Promise<VmRecord> {
    return this.parts.vmRecords.updateVmRecord(id, patch);
  }

  deleteVmRecord(id: string): Promise<boolean> {
    return this.parts.vmRecords.deleteVmRecord(id);
  }

  renewLaunchLeases(owner: string, ids: readonly string[], ms: number): Promise<string[]> {
    return this.parts.vmRecords.renewLaunchLeases(owner, ids, ms);
  }

  claimLaunches(claim: LaunchClaim): Promise<VmRecord[]> {
    return this.parts.vmRecords.claimLaunches(claim);
  }

  // Login limits and the server's own values

  getLoginThrottle(key: string): Promise<LoginThrottle | undefined> {
    return this.parts.serverState.getLoginThrottle(key);
  }

  putLoginThrottle(key: string, throttle: LoginThrottle | undefined): Promise<void> {
    return this.parts.serverState.putLoginThrottle(key, throttle);
  }

  deleteLoginThrottles(before: number): Promise<number> {
    return this.parts.serverState.deleteLoginThrottles(before);
  }

  getServerValue(key: string): Promise<string | undefined> {
    return this.parts.serverState.getServerValue(key);
  }

  initServerValue(key: string, value: string): Promise<string> {
    return this.parts.serverState.initServerValue(key, value);
  }
}
