import type { Database } from 'better-sqlite3';

/**
 * What every aggregate's SQLite operations share. The SqliteStore that owns it decides how `run`
 * serialises work and joins open transactions, so the aggregates never deal with either.
 */
export interface SqliteContext {
  readonly db: Database;
  /** The store clock's current time, in the one form timestamps are stored in. */
  timestamp(): string;
  /** The same clock in milliseconds since the epoch (lease and login-limit times). */
  nowMs(): number;
  /**
   * Runs one synchronous piece of database work: at once inside the store's open transaction,
   * otherwise in turn with all other work of the store. Fails once the store is closed.
   */
  run<T>(work: () => T): Promise<T>;
}
