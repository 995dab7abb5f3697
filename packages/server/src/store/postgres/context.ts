/**
 * What every aggregate's PostgreSQL operations share. The PostgresStore that owns it decides which
 * connection a statement runs on (the open transaction's, or any of the pool's) and turns driver
 * errors into the store's, so the aggregates never deal with either.
 */
export interface PgContext {
  /** Runs one statement; its rows. */
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs one statement; how many rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Runs several writes as one: on one connection in a transaction of their own, or inside the
   * store's open transaction. Nothing of it shows half-done.
   */
  atomically<T>(work: (context: PgContext) => Promise<T>): Promise<T>;
  /** Runs several reads on one snapshot, so a concurrent write (on any replica) cannot show as a mix. */
  snapshot<T>(work: (context: PgContext) => Promise<T>): Promise<T>;
  /** The store clock's current time, in the one form timestamps are stored in. */
  timestamp(): string;
}

/** Folds ASCII letters only, exactly as userNameKey does (and the users_name_nocase index). */
export const NAME_KEY = (column: string): string =>
  `translate(${column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

/** The database clock in ms since the epoch: leases compare against one clock whatever the replicas' say. */
export const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

export function pgCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

export function pgConstraint(error: unknown): string {
  return typeof error === 'object' && error !== null && 'constraint' in error ? String(error.constraint) : '';
}

/** 23503 foreign_key_violation, or 23001 restrict_violation (ON DELETE RESTRICT). */
export function isPgForeignKeyError(error: unknown): boolean {
  const code = pgCode(error);
  return code === '23503' || code === '23001';
}
