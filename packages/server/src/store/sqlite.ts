import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { KeyedLock } from '@slipstream/connector-core';
import type { Database } from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { ServerError } from '../errors.js';
import { ComposedStore } from './composed.js';
import { migrate } from './migrations.js';
import { SqliteApiTokenStore } from './sqlite/api-tokens.js';
import { SqliteConfigurationStore } from './sqlite/configuration.js';
import type { SqliteContext } from './sqlite/context.js';
import { SqliteCredentialStore } from './sqlite/credentials.js';
import { SqliteQuotaStore } from './sqlite/quotas.js';
import { SqliteServerStateStore } from './sqlite/server-state.js';
import { SqliteLoginSessionStore } from './sqlite/sessions.js';
import { SqliteUserStore } from './sqlite/users.js';
import { SqliteVmRecordStore } from './sqlite/vm-records.js';
import type { Store, StoreDescription, TransactionOptions } from './types.js';

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
  return new SqliteStore(db, file, options.now ?? (() => new Date()));
}

/** Creates the directory and the file with owner-only permissions before SQLite touches it. */
function prepareFile(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    // The file may predate us or the umask may have widened it; the store holds password hashes.
    chmodSync(file, 0o600);
  } catch (error) {
    throw new ServerError(
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

// The lock serialises every top-level operation of a store under this one key: while a
// transaction awaits, nobody else writes through the connection.
const CONNECTION = 'connection';

/**
 * The SQLite store: one connection shared by an object per aggregate (sqlite/*.ts), with the
 * serialisation of work, transactions and closing kept here.
 */
class SqliteStore extends ComposedStore {
  private readonly lock = new KeyedLock();
  private closed = false;
  readonly description: StoreDescription;

  constructor(
    private readonly db: Database,
    file: string,
    now: () => Date,
  ) {
    const context: SqliteContext = {
      db,
      timestamp: () => now().toISOString(),
      nowMs: () => now().getTime(),
      run: (work) => this.run(work),
    };
    super({
      users: new SqliteUserStore(context),
      sessions: new SqliteLoginSessionStore(context),
      apiTokens: new SqliteApiTokenStore(context),
      configuration: new SqliteConfigurationStore(context),
      credentials: new SqliteCredentialStore(context),
      quotas: new SqliteQuotaStore(context),
      vmRecords: new SqliteVmRecordStore(context),
      serverState: new SqliteServerStateStore(context),
    });
    this.description = { kind: 'sqlite', location: file };
  }

  /** A file on this machine answers while the store is open. */
  ping(): Promise<void> {
    return this.run(() => undefined);
  }

  /** Runs one operation: directly inside this store's open transaction, otherwise in turn. */
  private run<T>(work: () => T): Promise<T> {
    const tx = transactionContext.getStore();
    if (tx?.open && tx.owner === this) return Promise.resolve().then(() => this.live(work));
    return this.lock.run(CONNECTION, async () => this.live(work));
  }

  private live<T>(work: () => T): T {
    if (this.closed) {
      throw new ServerError('INVALID_REQUEST', 'The store is closed; open it again before using it.');
    }
    return work();
  }

  // Transactions

  /** Every transaction runs alone here, so the scope needs no lock of its own. */
  transaction<T>(fn: (tx: Store) => Promise<T>, _options?: TransactionOptions): Promise<T> {
    const current = transactionContext.getStore();
    if (current?.open && current.owner === this) return this.savepoint(current, fn);
    return this.lock.run(CONNECTION, async () => {
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
        new ServerError(
          'INVALID_REQUEST',
          'close() was called inside a transaction; close the store after it ends.',
        ),
      );
    }
    return this.lock.run(CONNECTION, async () => {
      if (this.closed) return;
      this.closed = true;
      this.db.close();
    });
  }
}
