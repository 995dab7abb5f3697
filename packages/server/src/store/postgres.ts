import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { ServerError } from '../errors.js';
import { ComposedStore } from './composed.js';
import { PgApiTokenStore } from './postgres/api-tokens.js';
import { PgConfigurationStore } from './postgres/configuration.js';
import { type PgContext, pgCode } from './postgres/context.js';
import { PgCredentialStore } from './postgres/credentials.js';
import { migratePostgres, TRANSACTION_LOCK } from './postgres/migrations.js';
import { PgQuotaStore } from './postgres/quotas.js';
import { PgServerStateStore } from './postgres/server-state.js';
import { PgLoginSessionStore } from './postgres/sessions.js';
import { PgUserStore } from './postgres/users.js';
import { PgVmRecordStore } from './postgres/vm-records.js';
import type { Store, StoreDescription, TransactionOptions } from './types.js';

export const DATABASE_URL_ENV = 'SLIPSTREAM_DATABASE_URL';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`, as SLIPSTREAM_DATABASE_URL gives it. */
  readonly url: string;
  /** Connections this process keeps at most (default 10). */
  readonly poolSize?: number;
  /** How long a statement waits for a free or new connection before STORE_UNAVAILABLE (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Clock for createdAt/updatedAt; tests pass a fixed one. Leases use the database's clock. */
  readonly now?: () => Date;
}

/** The URL without its password, for logs, errors and /api/health. */
export function databaseLocation(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the text: it may hold the password.
    throw new ServerError(
      'CONFIG_INVALID',
      `${DATABASE_URL_ENV} is not a URL; write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE.`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ServerError(
      'CONFIG_INVALID',
      `${DATABASE_URL_ENV} must start with postgres:// (it starts with ${parsed.protocol}//); write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE.`,
    );
  }
  if (parsed.password !== '') parsed.password = '***';
  parsed.search = '';
  return parsed.toString();
}

/** Opens the PostgreSQL store, bringing the database's schema up to date (once, whoever starts first). */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const location = databaseLocation(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    application_name: 'slipstream-server',
  });
  // An idle connection the database drops (a restart, a failover) must not end the process: the
  // pool discards it and the next statement opens a new one.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, location, undefined, options.now);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw storeError(error, location);
  }
  return new PostgresStore(pool, location, options.now ?? (() => new Date()));
}

interface Transaction {
  readonly owner: PostgresStore;
  readonly client: pg.PoolClient;
  open: boolean;
  depth: number;
}

// Marks the async work running inside a transaction, so store calls made from it run on its connection.
const transactionContext = new AsyncLocalStorage<Transaction>();

/**
 * The lock that makes transactions of one scope run one at a time across replicas: the pair
 * (TRANSACTION_LOCK, hash of the scope), held until the transaction ends. Unscoped transactions
 * all take the scope ''.
 */
const LOCK_SCOPE = 'SELECT pg_advisory_xact_lock($1::int, hashtext($2))';

/** Error codes and messages of a database that cannot be reached or went away mid-statement. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection to server .* failed/i;

/**
 * The store's error for a driver error: STORE_UNAVAILABLE when the database cannot be reached,
 * CONFIG_INVALID when it refuses the URL's account or database; others as they are.
 */
function storeError(error: unknown, location: string): unknown {
  if (ServerError.is(error)) return error;
  const code = pgCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (UNREACHABLE_CODES.has(code) || UNREACHABLE_MESSAGES.test(message)) {
    return new ServerError(
      'STORE_UNAVAILABLE',
      `The database ${location} cannot be reached (${code || message}); the server answers again as soon ` +
        `as it is back. Check that PostgreSQL runs and that ${DATABASE_URL_ENV} points at it.`,
      { cause: error },
    );
  }
  if (code === '28P01' || code === '28000' || code === '3D000') {
    return new ServerError(
      'CONFIG_INVALID',
      `The database ${location} refused the connection (${message}); check the user, password and database name in ${DATABASE_URL_ENV}.`,
      { cause: error },
    );
  }
  return error;
}

/*
 * Why node-postgres (`pg`) rather than porsager's `postgres`: bench/postgres-drivers.bench.js runs both
 * on the store's own workloads. `postgres` answers point reads faster (×1.5 one after another, ×2.1
 * with 50 in flight: it prepares statements and pipelines on a connection), but those are
 * tenths of a millisecond per request; on what the server spends its database time on — listing
 * records for GET /api/vms and the short transactions of launches — `pg` is as fast or faster and
 * uses 10–30 % less client CPU. A checked-out client with BEGIN/COMMIT also fits this store's model
 * (work inside `transaction(fn)` joins it through AsyncLocalStorage) more directly than `sql.begin`.
 */

/**
 * The PostgreSQL store: a connection pool shared by an object per aggregate (postgres/*.ts).
 * Single statements run on any pooled connection. A transaction holds one connection and a
 * transaction-level advisory lock on its scope, so transactions of one scope run one at a time
 * across every replica, as SQLite's BEGIN IMMEDIATE makes all of them run one at a time across
 * processes: what a transaction checks (a quota, the last administrator) still holds when it
 * commits. They are short (no cloud call runs inside one), so the wait is short too.
 */
class PostgresStore extends ComposedStore {
  private closed = false;
  readonly description: StoreDescription;

  constructor(
    private readonly pool: pg.Pool,
    location: string,
    now: () => Date,
  ) {
    const context: PgContext = {
      query: async (sql, params) => (await this.statement(sql, params)).rows,
      execute: async (sql, params) => (await this.statement(sql, params)).rowCount ?? 0,
      atomically: (work) => this.atomically('BEGIN', work, context),
      snapshot: (work) => this.atomically('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work, context),
      timestamp: () => now().toISOString(),
    };
    super({
      users: new PgUserStore(context),
      sessions: new PgLoginSessionStore(context),
      apiTokens: new PgApiTokenStore(context),
      configuration: new PgConfigurationStore(context),
      credentials: new PgCredentialStore(context),
      quotas: new PgQuotaStore(context),
      vmRecords: new PgVmRecordStore(context),
      serverState: new PgServerStateStore(context),
    });
    this.description = { kind: 'postgresql', location };
  }

  private live(): void {
    if (this.closed) {
      throw new ServerError('INVALID_REQUEST', 'The store is closed; open it again before using it.');
    }
  }

  private openTransaction(): Transaction | undefined {
    const tx = transactionContext.getStore();
    return tx?.open && tx.owner === this ? tx : undefined;
  }

  /** One statement: on the open transaction's connection, otherwise on any of the pool's. */
  private async statement(sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult> {
    this.live();
    const tx = this.openTransaction();
    try {
      return await (tx?.client ?? this.pool).query(sql, params as unknown[]);
    } catch (error) {
      throw storeError(error, this.description.location);
    }
  }

  /** Several statements as one: inside the open transaction, else in one of their own begun with `begin`. */
  private async atomically<T>(
    begin: string,
    work: (context: PgContext) => Promise<T>,
    context: PgContext,
  ): Promise<T> {
    if (this.openTransaction() !== undefined) return work(context);
    return this.withConnection(begin, () => work(context));
  }

  /** Runs `work` on one pooled connection inside BEGIN … COMMIT, rolling back when it throws. */
  private async withConnection<T>(begin: string, work: () => Promise<T>, scope?: string): Promise<T> {
    this.live();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storeError(error, this.description.location);
    }
    const tx: Transaction = { owner: this, client, open: true, depth: 0 };
    let broken: Error | undefined;
    try {
      await client.query(begin);
      if (scope !== undefined) await client.query(LOCK_SCOPE, [TRANSACTION_LOCK, scope]);
      const result = await transactionContext.run(tx, work);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => {
        // The connection is gone: the pool must not hand it out again.
        broken = rollback;
      });
      throw storeError(error, this.description.location);
    } finally {
      tx.open = false;
      client.release(broken);
    }
  }

  ping(): Promise<void> {
    return this.statement('SELECT 1').then(() => undefined);
  }

  transaction<T>(fn: (tx: Store) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const current = this.openTransaction();
    if (current !== undefined) return this.savepoint(current, fn, options.scope);
    return this.withConnection('BEGIN', () => fn(this), options.scope ?? '');
  }

  /** A nested transaction: its changes roll back alone when it fails, and commit with the outer one. */
  private async savepoint<T>(tx: Transaction, fn: (tx: Store) => Promise<T>, scope?: string): Promise<T> {
    tx.depth += 1;
    const name = `nested_${tx.depth}`;
    await this.statement(`SAVEPOINT ${name}`);
    // Held until the outer transaction ends, as every transaction-level lock is.
    if (scope !== undefined) await this.statement(LOCK_SCOPE, [TRANSACTION_LOCK, scope]);
    try {
      const result = await fn(this);
      await this.statement(`RELEASE ${name}`);
      return result;
    } catch (error) {
      await this.statement(`ROLLBACK TO ${name}`);
      await this.statement(`RELEASE ${name}`);
      throw error;
    } finally {
      tx.depth -= 1;
    }
  }

  async close(): Promise<void> {
    if (this.openTransaction() !== undefined) {
      throw new ServerError(
        'INVALID_REQUEST',
        'close() was called inside a transaction; close the store after it ends.',
      );
    }
    if (this.closed) return;
    this.closed = true;
    // end() waits for checked-out connections to come back, so running work finishes first.
    await this.pool.end();
  }
}
