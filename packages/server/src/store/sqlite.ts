import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConnectorError } from '@slipstream/connector-core';
import type { Database } from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { migrate } from './migrations.js';
import {
  checkRole,
  checkState,
  hashSessionId,
  isForeignKeyError,
  isoTimestamp,
  requireText,
  sqliteCode,
  type TokenRow,
  toJson,
  tokenFromRow,
  type UserRow,
  userFromRow,
  type ValueRow,
  type VmRow,
  valueColumns,
  valuesFromRows,
  vmFromRow,
} from './rows.js';
import type {
  ApiTokenRecord,
  Configuration,
  CredentialSet,
  CredentialSummary,
  JsonObject,
  NewApiToken,
  NewUser,
  NewVmRecord,
  QuotaOverride,
  SessionRecord,
  Store,
  StoredConfiguration,
  StoredValues,
  UserPatch,
  UserRecord,
  UserRename,
  VmRecord,
  VmRecordFilter,
  VmRecordPatch,
} from './types.js';

export interface SqliteStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  readonly file: string;
  /** How long a statement waits for another process's lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Clock for createdAt/updatedAt; tests pass a fixed one. */
  readonly now?: () => Date;
}

/** Opens (creating and migrating when needed) the embedded SQLite store. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const file = resolve(options.file);
  prepareFile(file);
  const db = new BetterSqlite3(file);
  try {
    // WAL: readers never block the writer and a killed process leaves the last committed state.
    db.pragma('journal_mode = WAL');
    // FULL: a commit survives power loss too; the store is small and writes are rare.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    migrate(db, file, undefined, options.now);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStore(db, options.now ?? (() => new Date()));
}

/** Creates the directory and the file with owner-only permissions before SQLite touches it. */
function prepareFile(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    // The file may predate us or the umask may have widened it; the store holds password hashes.
    chmodSync(file, 0o600);
  } catch (error) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Cannot create the store file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): ` +
        'check that its directory is writable, or set SLIPSTREAM_HOME to a writable directory.',
      { cause: error },
    );
  }
}

interface Transaction {
  readonly owner: SqliteStore;
  open: boolean;
  depth: number;
}

// Marks the async work running inside a transaction, so store calls made from it join the
// transaction instead of waiting for it to end (which would deadlock).
const transactionContext = new AsyncLocalStorage<Transaction>();

/** Serialises top-level operations: while a transaction awaits, nobody else writes through it. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

class SqliteStore implements Store {
  private readonly mutex = new Mutex();
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /** Runs one operation: directly inside this store's open transaction, otherwise in turn. */
  private run<T>(work: () => T): Promise<T> {
    const tx = transactionContext.getStore();
    if (tx?.open && tx.owner === this) return Promise.resolve().then(() => this.live(work));
    return this.mutex.run(async () => this.live(work));
  }

  private live<T>(work: () => T): T {
    if (this.closed) {
      throw new ConnectorError('INVALID_REQUEST', 'The store is closed; open it again before using it.');
    }
    return work();
  }

  private timestamp(): string {
    return this.now().toISOString();
  }

  // Users

  createUser(user: NewUser): Promise<UserRecord> {
    return this.run(() => {
      const name = requireText(user.name, 'The user name');
      checkRole(user.role);
      const record: UserRecord = {
        id: randomUUID(),
        name,
        role: user.role,
        passwordHash: requireText(user.passwordHash, 'The password hash'),
        createdAt: this.timestamp(),
        ...(user.disabled === true ? { disabled: true } : {}),
      };
      try {
        this.db
          .prepare(
            'INSERT INTO users (id, name, role, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(
            record.id,
            record.name,
            record.role,
            record.passwordHash,
            record.createdAt,
            user.disabled ? 1 : 0,
          );
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') throw this.nameTaken(name);
        throw error;
      }
      return record;
    });
  }

  /** The duplicate error, naming the account that holds the name as it is spelt there. */
  private nameTaken(name: string): ConnectorError {
    const existing = this.userByName(name)?.name ?? name;
    return new ConnectorError(
      'INVALID_REQUEST',
      existing === name
        ? `A user named "${name}" already exists; choose another name.`
        : `A user named "${existing}" already exists, and user names that differ only in case are ` +
            `the same name; choose another name than "${name}".`,
    );
  }

  private userByName(name: string): UserRecord | undefined {
    // NOCASE, as the users_name_nocase index compares, which this lookup uses.
    const row = this.db.prepare('SELECT * FROM users WHERE name = ? COLLATE NOCASE').get(name) as
      | UserRow
      | undefined;
    return row && userFromRow(row);
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    return this.run(() => {
      const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
      return row && userFromRow(row);
    });
  }

  getUserByName(name: string): Promise<UserRecord | undefined> {
    return this.run(() => this.userByName(name));
  }

  listUsers(): Promise<UserRecord[]> {
    return this.run(() =>
      (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(userFromRow),
    );
  }

  listUserRenames(): Promise<UserRename[]> {
    return this.run(() =>
      (
        this.db.prepare('SELECT * FROM user_renames ORDER BY renamed_at, rowid').all() as {
          user_id: string;
          old_name: string;
          new_name: string;
          renamed_at: string;
        }[]
      ).map((row) => ({
        userId: row.user_id,
        oldName: row.old_name,
        newName: row.new_name,
        renamedAt: row.renamed_at,
      })),
    );
  }

  updateUser(id: string, patch: UserPatch): Promise<UserRecord> {
    return this.run(() => {
      if (patch.role !== undefined) checkRole(patch.role);
      if (patch.passwordHash !== undefined) requireText(patch.passwordHash, 'The password hash');
      const result = this.db
        .prepare(
          `UPDATE users SET role = COALESCE(?, role), password_hash = COALESCE(?, password_hash),
             disabled = COALESCE(?, disabled) WHERE id = ?`,
        )
        .run(
          patch.role ?? null,
          patch.passwordHash ?? null,
          patch.disabled === undefined ? null : patch.disabled ? 1 : 0,
          id,
        );
      if (result.changes === 0) throw this.noUser(id);
      return userFromRow(this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow);
    });
  }

  deleteUser(id: string): Promise<void> {
    return this.run(() => {
      try {
        const result = this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
        if (result.changes === 0) throw this.noUser(id);
      } catch (error) {
        if (isForeignKeyError(error)) {
          throw new ConnectorError(
            'INVALID_REQUEST',
            `User ${id} still owns VM records; terminate and remove their VMs first, or disable the user instead.`,
          );
        }
        throw error;
      }
    });
  }

  private noUser(id: string): ConnectorError {
    return new ConnectorError(
      'NOT_FOUND',
      `There is no user with id ${id}; list the users to find the right id.`,
    );
  }

  /** Runs an insert that references a user; a missing user becomes NOT_FOUND instead of a SQLite error. */
  private forUser<T>(userId: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (isForeignKeyError(error)) throw this.noUser(userId);
      throw error;
    }
  }

  // Sessions

  createSession(session: SessionRecord): Promise<void> {
    return this.run(() => {
      const id = requireText(session.id, 'The session id');
      this.forUser(session.userId, () =>
        this.db
          .prepare('INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)')
          .run(
            hashSessionId(id),
            session.userId,
            requireText(session.csrfToken, 'The CSRF token'),
            isoTimestamp(session.expiresAt, 'The session expiry'),
          ),
      );
    });
  }

  getSession(id: string): Promise<SessionRecord | undefined> {
    return this.run(() => {
      const row = this.db
        .prepare('SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = ?')
        .get(hashSessionId(String(id))) as
        | { user_id: string; csrf_token: string; expires_at: string }
        | undefined;
      return row && { id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    });
  }

  deleteSession(id: string): Promise<void> {
    return this.run(() => {
      this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashSessionId(String(id)));
    });
  }

  deleteSessionsOfUser(userId: string): Promise<number> {
    return this.run(() => this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes);
  }

  deleteExpiredSessions(now: string): Promise<number> {
    return this.run(
      () =>
        this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(isoTimestamp(now, 'now')).changes,
    );
  }

  // API tokens

  createApiToken(token: NewApiToken): Promise<ApiTokenRecord> {
    return this.run(() => {
      const record: ApiTokenRecord = {
        id: randomUUID(),
        userId: token.userId,
        name: requireText(token.name, 'The token name'),
        tokenHash: requireText(token.tokenHash, 'The token hash'),
        createdAt: this.timestamp(),
      };
      try {
        this.forUser(token.userId, () =>
          this.db
            .prepare(
              'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)',
            )
            .run(record.id, record.userId, record.name, record.tokenHash, record.createdAt),
        );
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') {
          // Which constraint failed tells the caller what to change; the hash itself is never echoed.
          const nameTaken = /api_tokens\.user_id, api_tokens\.name/.test((error as Error).message);
          throw new ConnectorError(
            'INVALID_REQUEST',
            nameTaken
              ? `This user already has a token named "${record.name}"; choose another name or delete that token.`
              : 'A token with this hash already exists; generate a new random token.',
          );
        }
        throw error;
      }
      return record;
    });
  }

  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    return this.run(() => {
      const row = this.db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as
        | TokenRow
        | undefined;
      return row && tokenFromRow(row);
    });
  }

  listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    return this.run(() =>
      (
        this.db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY name').all(userId) as TokenRow[]
      ).map(tokenFromRow),
    );
  }

  touchApiToken(id: string, usedAt: string): Promise<void> {
    return this.run(() => {
      this.db
        .prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
        .run(isoTimestamp(usedAt, 'The last use time'), id);
    });
  }

  deleteApiToken(id: string): Promise<void> {
    return this.run(() => {
      this.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(id);
    });
  }

  // Configuration

  getConfiguration(): Promise<StoredConfiguration | undefined> {
    return this.run(() => this.readConfiguration());
  }

  private readConfiguration(): StoredConfiguration | undefined {
    // One read transaction, so a concurrent writer (another process) cannot show us a mix.
    return this.db.transaction(() => {
      const head = this.db.prepare('SELECT connectors, updated_at FROM configuration WHERE id = 1').get() as
        | { connectors: string; updated_at: string }
        | undefined;
      if (head === undefined) return undefined;
      const settings: Record<string, string> = {};
      for (const row of this.db
        .prepare('SELECT key, value FROM configuration_settings ORDER BY key')
        .all() as {
        key: string;
        value: string;
      }[]) {
        settings[row.key] = row.value;
      }
      const rows = this.db
        .prepare(
          'SELECT instance, key, value_json, secret_blob FROM configuration_parameters ORDER BY instance, key',
        )
        .all() as (ValueRow & { instance: string })[];
      const byInstance = new Map<string, ValueRow[]>();
      for (const row of rows) byInstance.set(row.instance, [...(byInstance.get(row.instance) ?? []), row]);
      const instances: Record<string, StoredValues> = {};
      for (const [instance, values] of byInstance) instances[instance] = valuesFromRows(values);
      return { basics: { connectors: head.connectors, settings }, instances, updatedAt: head.updated_at };
    })();
  }

  replaceConfiguration(configuration: Configuration): Promise<StoredConfiguration> {
    return this.run(() => {
      const basics = configuration?.basics;
      if (typeof basics?.connectors !== 'string') {
        throw new ConnectorError(
          'INVALID_REQUEST',
          'basics.connectors must be the connector list as a string.',
        );
      }
      const settings = Object.entries(basics.settings ?? {});
      for (const [key, value] of settings) {
        if (typeof value !== 'string') {
          throw new ConnectorError('INVALID_REQUEST', `Setting "${key}" must be a string.`);
        }
      }
      // Everything is checked and encoded before the first write; the transaction covers the rest.
      const parameters: [string, string, string | null, string | null][] = [];
      for (const [instance, values] of Object.entries(configuration.instances ?? {})) {
        requireText(instance, 'An instance name');
        for (const [key, value] of Object.entries(values ?? {})) {
          parameters.push([
            instance,
            key,
            ...valueColumns(key, value, `Parameter of instance "${instance}"`),
          ]);
        }
      }
      const updatedAt = this.timestamp();
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO configuration (id, connectors, updated_at) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET connectors = excluded.connectors, updated_at = excluded.updated_at`,
          )
          .run(basics.connectors, updatedAt);
        this.db.prepare('DELETE FROM configuration_settings').run();
        const setting = this.db.prepare('INSERT INTO configuration_settings (key, value) VALUES (?, ?)');
        for (const [key, value] of settings) setting.run(key, value);
        this.db.prepare('DELETE FROM configuration_parameters').run();
        const parameter = this.db.prepare(
          'INSERT INTO configuration_parameters (instance, key, value_json, secret_blob) VALUES (?, ?, ?, ?)',
        );
        for (const row of parameters) parameter.run(...row);
      })();
      return this.readConfiguration() as StoredConfiguration;
    });
  }

  // Credentials

  getCredentials(userId: string, instance: string): Promise<CredentialSet | undefined> {
    return this.run(() => this.readCredentials(userId, instance));
  }

  private readCredentials(userId: string, instance: string): CredentialSet | undefined {
    return this.db.transaction(() => {
      const head = this.db
        .prepare('SELECT updated_at FROM credentials WHERE user_id = ? AND instance = ?')
        .get(userId, instance) as { updated_at: string } | undefined;
      if (head === undefined) return undefined;
      const rows = this.db
        .prepare(
          'SELECT key, value_json, secret_blob FROM credential_values WHERE user_id = ? AND instance = ? ORDER BY key',
        )
        .all(userId, instance) as ValueRow[];
      return { userId, instance, values: valuesFromRows(rows), updatedAt: head.updated_at };
    })();
  }

  listCredentials(userId: string): Promise<CredentialSummary[]> {
    return this.run(() =>
      (
        this.db
          .prepare('SELECT instance, updated_at FROM credentials WHERE user_id = ? ORDER BY instance')
          .all(userId) as { instance: string; updated_at: string }[]
      ).map((row) => ({ instance: row.instance, updatedAt: row.updated_at })),
    );
  }

  putCredentials(userId: string, instance: string, values: StoredValues): Promise<CredentialSet> {
    return this.run(() => {
      requireText(instance, 'The instance name');
      const rows = Object.entries(values ?? {}).map(
        ([key, value]) =>
          [key, ...valueColumns(key, value, `Credential for instance "${instance}"`)] as const,
      );
      const updatedAt = this.timestamp();
      this.forUser(userId, () =>
        this.db.transaction(() => {
          this.db
            .prepare(
              `INSERT INTO credentials (user_id, instance, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (user_id, instance) DO UPDATE SET updated_at = excluded.updated_at`,
            )
            .run(userId, instance, updatedAt);
          this.db
            .prepare('DELETE FROM credential_values WHERE user_id = ? AND instance = ?')
            .run(userId, instance);
          const insert = this.db.prepare(
            'INSERT INTO credential_values (user_id, instance, key, value_json, secret_blob) VALUES (?, ?, ?, ?, ?)',
          );
          for (const [key, json, blob] of rows) insert.run(userId, instance, key, json, blob);
        })(),
      );
      return this.readCredentials(userId, instance) as CredentialSet;
    });
  }

  deleteCredentials(userId: string, instance: string): Promise<boolean> {
    return this.run(
      () =>
        this.db.prepare('DELETE FROM credentials WHERE user_id = ? AND instance = ?').run(userId, instance)
          .changes > 0,
    );
  }

  // Quota overrides

  getQuotaOverride(userId: string, instance: string): Promise<QuotaOverride | undefined> {
    return this.run(() => {
      const row = this.db
        .prepare('SELECT vm FROM quota_overrides WHERE user_id = ? AND instance = ?')
        .get(userId, instance) as { vm: number } | undefined;
      return row && { userId, instance, vm: row.vm };
    });
  }

  listQuotaOverrides(userId?: string): Promise<QuotaOverride[]> {
    return this.run(() => {
      const rows = (
        userId === undefined
          ? this.db.prepare('SELECT * FROM quota_overrides ORDER BY user_id, instance').all()
          : this.db.prepare('SELECT * FROM quota_overrides WHERE user_id = ? ORDER BY instance').all(userId)
      ) as { user_id: string; instance: string; vm: number }[];
      return rows.map((row) => ({ userId: row.user_id, instance: row.instance, vm: row.vm }));
    });
  }

  setQuotaOverride(userId: string, instance: string, vm: number | undefined): Promise<void> {
    return this.run(() => {
      if (vm === undefined) {
        this.db
          .prepare('DELETE FROM quota_overrides WHERE user_id = ? AND instance = ?')
          .run(userId, instance);
        return;
      }
      if (!Number.isSafeInteger(vm) || vm < 0) {
        throw new ConnectorError(
          'INVALID_REQUEST',
          `The VM quota for instance "${instance}" must be a whole number of 0 or more, not ${String(vm)}.`,
        );
      }
      requireText(instance, 'The instance name');
      this.forUser(userId, () =>
        this.db
          .prepare(
            `INSERT INTO quota_overrides (user_id, instance, vm) VALUES (?, ?, ?)
             ON CONFLICT (user_id, instance) DO UPDATE SET vm = excluded.vm`,
          )
          .run(userId, instance, vm),
      );
    });
  }

  // VM records

  createVmRecord(input: NewVmRecord): Promise<{ record: VmRecord; created: boolean }> {
    return this.run(() => {
      const requestJson = toJson(input.request, 'The launch request');
      if (typeof input.request !== 'object' || input.request === null || Array.isArray(input.request)) {
        throw new ConnectorError('INVALID_REQUEST', 'The launch request must be a JSON object.');
      }
      const now = this.timestamp();
      const record: VmRecord = {
        id: randomUUID(),
        ownerId: input.ownerId,
        instance: requireText(input.instance, 'The instance name'),
        idempotencyKey: requireText(input.idempotencyKey, 'The idempotency key'),
        ...(input.cloudId !== undefined ? { cloudId: input.cloudId } : {}),
        ...(input.account !== undefined ? { account: input.account } : {}),
        name: requireText(input.name, 'The VM name'),
        state: checkState(input.state ?? 'launching'),
        request: JSON.parse(requestJson) as JsonObject,
        createdAt: now,
        updatedAt: now,
      };
      // ON CONFLICT DO NOTHING keeps this one statement, so two concurrent retries cannot both insert.
      const inserted = this.forUser(input.ownerId, () =>
        this.db
          .prepare(
            `INSERT INTO vm_records (id, owner_id, instance, idempotency_key, cloud_id, account, name, state,
               request_json, error_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
             ON CONFLICT (owner_id, instance, idempotency_key) DO NOTHING`,
          )
          .run(
            record.id,
            record.ownerId,
            record.instance,
            record.idempotencyKey,
            record.cloudId ?? null,
            record.account ?? null,
            record.name,
            record.state,
            requestJson,
            now,
            now,
          ),
      );
      if (inserted.changes > 0) return { record, created: true };
      const existing = this.readVmByKey(record.ownerId, record.instance, record.idempotencyKey) as VmRecord;
      return { record: existing, created: false };
    });
  }

  private readVmByKey(ownerId: string, instance: string, idempotencyKey: string): VmRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM vm_records WHERE owner_id = ? AND instance = ? AND idempotency_key = ?')
      .get(ownerId, instance, idempotencyKey) as VmRow | undefined;
    return row && vmFromRow(row);
  }

  getVmRecord(id: string): Promise<VmRecord | undefined> {
    return this.run(() => {
      const row = this.db.prepare('SELECT * FROM vm_records WHERE id = ?').get(id) as VmRow | undefined;
      return row && vmFromRow(row);
    });
  }

  findVmRecord(ownerId: string, instance: string, idempotencyKey: string): Promise<VmRecord | undefined> {
    return this.run(() => this.readVmByKey(ownerId, instance, idempotencyKey));
  }

  listVmRecords(filter: VmRecordFilter = {}): Promise<VmRecord[]> {
    return this.run(() => {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.ownerId !== undefined) {
        where.push('owner_id = ?');
        args.push(filter.ownerId);
      }
      if (filter.instance !== undefined) {
        where.push('instance = ?');
        args.push(filter.instance);
      }
      if (filter.states !== undefined) {
        if (filter.states.length === 0) return [];
        where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
        args.push(...filter.states.map(checkState));
      }
      const sql = `SELECT * FROM vm_records${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
      return (this.db.prepare(sql).all(...args) as VmRow[]).map(vmFromRow);
    });
  }

  updateVmRecord(id: string, patch: VmRecordPatch): Promise<VmRecord> {
    return this.run(() => {
      const row = this.db.prepare('SELECT * FROM vm_records WHERE id = ?').get(id) as VmRow | undefined;
      if (row === undefined) {
        throw new ConnectorError(
          'NOT_FOUND',
          `There is no VM record with id ${id}; list the VM records to find it.`,
        );
      }
      const state = patch.state === undefined ? row.state : checkState(patch.state);
      const name = patch.name === undefined ? row.name : requireText(patch.name, 'The VM name');
      const cloudId = patch.cloudId === undefined ? row.cloud_id : patch.cloudId;
      const account = patch.account === undefined ? row.account : patch.account;
      const errorJson =
        patch.error === undefined
          ? row.error_json
          : patch.error === null
            ? null
            : toJson(
                { code: String(patch.error.code), message: String(patch.error.message) },
                'The VM error',
              );
      this.db
        .prepare(
          'UPDATE vm_records SET state = ?, name = ?, cloud_id = ?, account = ?, error_json = ?, updated_at = ? WHERE id = ?',
        )
        .run(state, name, cloudId, account, errorJson, this.timestamp(), id);
      return vmFromRow(this.db.prepare('SELECT * FROM vm_records WHERE id = ?').get(id) as VmRow);
    });
  }

  deleteVmRecord(id: string): Promise<boolean> {
    return this.run(() => this.db.prepare('DELETE FROM vm_records WHERE id = ?').run(id).changes > 0);
  }

  // Transactions

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const current = transactionContext.getStore();
    if (current?.open && current.owner === this) return this.savepoint(current, fn);
    return this.mutex.run(async () => {
      this.live(() => undefined);
      const tx: Transaction = { owner: this, open: true, depth: 0 };
      // IMMEDIATE takes the write lock now, so another process cannot make us fail half-way with BUSY.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await transactionContext.run(tx, () => fn(this));
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      } finally {
        tx.open = false;
      }
    });
  }

  /** A nested transaction: its changes roll back alone when it fails, and commit with the outer one. */
  private async savepoint<T>(tx: Transaction, fn: (tx: Store) => Promise<T>): Promise<T> {
    tx.depth += 1;
    const name = `nested_${tx.depth}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      throw error;
    } finally {
      tx.depth -= 1;
    }
  }

  close(): Promise<void> {
    const current = transactionContext.getStore();
    if (current?.open && current.owner === this) {
      return Promise.reject(
        new ConnectorError(
          'INVALID_REQUEST',
          'close() was called inside a transaction; close the store after it ends.',
        ),
      );
    }
    return this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.db.close();
    });
  }
}
