import type { PoolClient } from 'pg';
import { ServerError } from '../../errors.js';
import { freeUserName, userNameKey } from '../user-names.js';
import { NAME_KEY } from './context.js';

/**
 * One PostgreSQL migration: SQL text, or a function for a change that must read the data. Version
 * N here makes the same change as version N of the SQLite list (../migrations.ts), in PostgreSQL's
 * dialect, so a store's version means one schema whichever database holds it.
 */
export type PgMigration = string | ((client: PoolClient, now: Date) => Promise<void>);

/*
 * Timestamps stay ISO 8601 text, as in SQLite: both stores share one row mapping (../rows.ts) and
 * the text sorts as the time does. Lease and login-limit times are BIGINT milliseconds, compared
 * with the database's clock.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
  );

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE INDEX sessions_expiry ON sessions (expires_at);

  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    UNIQUE (user_id, name)
  );

  CREATE TABLE configuration (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    connectors TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE configuration_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE configuration_parameters (
    instance TEXT NOT NULL,
    key TEXT NOT NULL,
    value_json TEXT,
    secret_blob TEXT,
    CHECK ((value_json IS NULL) <> (secret_blob IS NULL)),
    PRIMARY KEY (instance, key)
  );

  CREATE TABLE credentials (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, instance)
  );
  CREATE TABLE credential_values (
    user_id TEXT NOT NULL,
    instance TEXT NOT NULL,
    key TEXT NOT NULL,
    value_json TEXT,
    secret_blob TEXT,
    CHECK ((value_json IS NULL) <> (secret_blob IS NULL)),
    PRIMARY KEY (user_id, instance, key),
    FOREIGN KEY (user_id, instance) REFERENCES credentials (user_id, instance) ON DELETE CASCADE
  );

  CREATE TABLE quota_overrides (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance TEXT NOT NULL,
    vm BIGINT NOT NULL CHECK (vm >= 0),
    PRIMARY KEY (user_id, instance)
  );

  CREATE TABLE vm_records (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    instance TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    cloud_id TEXT,
    name TEXT NOT NULL,
    state TEXT NOT NULL
      CHECK (state IN ('launching', 'launched', 'failed', 'terminating', 'terminated')),
    request_json TEXT NOT NULL,
    error_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (owner_id, instance, idempotency_key)
  );
  CREATE INDEX vm_records_instance ON vm_records (instance, cloud_id);
  CREATE INDEX vm_records_state ON vm_records (state);
  `,
  `
  ALTER TABLE vm_records ADD COLUMN account TEXT;
  `,
  renameCaseClashes,
  `
  ALTER TABLE vm_records ADD COLUMN lease_owner TEXT;
  ALTER TABLE vm_records ADD COLUMN lease_until BIGINT;
  CREATE INDEX vm_records_leases ON vm_records (state, lease_until);
  CREATE TABLE login_throttles (
    key TEXT PRIMARY KEY,
    failures_json TEXT NOT NULL,
    locked_until BIGINT NOT NULL,
    lockouts INTEGER NOT NULL,
    last_activity BIGINT NOT NULL
  );
  CREATE TABLE server_values (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];

/** Migration 3, as SQLite's: later accounts whose names clash but for case get a free suffix. */
async function renameCaseClashes(client: PoolClient, now: Date): Promise<void> {
  await client.query(`
  CREATE TABLE user_renames (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    old_name TEXT NOT NULL,
    new_name TEXT NOT NULL,
    renamed_at TEXT NOT NULL,
    seq BIGSERIAL NOT NULL
  );
  `);
  const { rows: users } = await client.query<{ id: string; name: string }>(
    'SELECT id, name FROM users ORDER BY created_at, id',
  );
  const taken = new Set(users.map((user) => userNameKey(user.name)));
  const kept = new Set<string>();
  for (const user of users) {
    const key = userNameKey(user.name);
    if (!kept.has(key)) {
      kept.add(key);
      continue;
    }
    const newName = freeUserName(user.name, taken);
    taken.add(userNameKey(newName));
    await client.query('UPDATE users SET name = $1 WHERE id = $2', [newName, user.id]);
    await client.query(
      'INSERT INTO user_renames (user_id, old_name, new_name, renamed_at) VALUES ($1, $2, $3, $4)',
      [user.id, user.name, newName, now.toISOString()],
    );
  }
  await client.query(`CREATE UNIQUE INDEX users_name_nocase ON users (${NAME_KEY('name')})`);
}

// Keys of pg_advisory_lock: fixed numbers every replica agrees on ('SLPM', 'SLPT' in ASCII).
export const MIGRATION_LOCK = 0x534c504d;
export const TRANSACTION_LOCK = 0x534c5054;

/**
 * Brings the database to the newest version, each migration in its own transaction with its
 * `schema_migrations` row. Replicas starting together wait for one another on an advisory lock, so
 * each migration runs once. Refuses a database written by a newer server.
 */
export async function migratePostgres(
  client: PoolClient,
  location: string,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
  now: () => Date = () => new Date(),
): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    for (;;) {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ version: number | null }>(
          'SELECT MAX(version) AS version FROM schema_migrations',
        );
        const version = rows[0]?.version ?? 0;
        if (version > migrations.length) {
          throw new ServerError(
            'CONFIG_INVALID',
            `The database ${location} has schema version ${version}, but this server knows versions up to ` +
              `${migrations.length}. It was written by a newer SlipStream server: upgrade this server, or ` +
              'point SLIPSTREAM_DATABASE_URL at another database.',
          );
        }
        const migration = migrations[version];
        if (migration === undefined) {
          await client.query('COMMIT');
          return migrations.length;
        }
        const at = now();
        if (typeof migration === 'string') await client.query(migration);
        else await migration(client, at);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          version + 1,
          at.toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
  }
}
