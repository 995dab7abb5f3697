import type { Database } from 'better-sqlite3';
import { ServerError } from '../errors.js';
import { freeUserName, userNameKey } from './user-names.js';

/**
 * One migration: SQL text, or a function for a change that must read the data to decide what to
 * write. A function gets the database inside the migration's transaction and the migration's time.
 */
export type Migration = string | ((db: Database, now: Date) => void);

/**
 * The schema, as an ordered list of migrations. Migration N (1-based) brings the database from
 * version N-1 to N. Never edit a released entry: append a new one, so every existing file upgrades.
 */
export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
  ) STRICT;

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
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
  ) STRICT;

  -- One row once the configuration was first saved; its absence means "seed from file and env".
  CREATE TABLE configuration (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    connectors TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE configuration_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  CREATE TABLE configuration_parameters (
    instance TEXT NOT NULL,
    key TEXT NOT NULL,
    value_json TEXT,
    secret_blob TEXT,
    CHECK ((value_json IS NULL) <> (secret_blob IS NULL)),
    PRIMARY KEY (instance, key)
  ) STRICT;

  CREATE TABLE credentials (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, instance)
  ) STRICT;
  CREATE TABLE credential_values (
    user_id TEXT NOT NULL,
    instance TEXT NOT NULL,
    key TEXT NOT NULL,
    value_json TEXT,
    secret_blob TEXT,
    CHECK ((value_json IS NULL) <> (secret_blob IS NULL)),
    PRIMARY KEY (user_id, instance, key),
    FOREIGN KEY (user_id, instance) REFERENCES credentials (user_id, instance) ON DELETE CASCADE
  ) STRICT;

  CREATE TABLE quota_overrides (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance TEXT NOT NULL,
    vm INTEGER NOT NULL CHECK (vm >= 0),
    PRIMARY KEY (user_id, instance)
  ) STRICT;

  -- RESTRICT: a user who still owns VM records cannot be deleted (disable them instead).
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
  ) STRICT;
  CREATE INDEX vm_records_instance ON vm_records (instance, cloud_id);
  CREATE INDEX vm_records_state ON vm_records (state);
  `,
  // Which cloud account launched each VM; NULL on records made before (taken as the current one).
  `
  ALTER TABLE vm_records ADD COLUMN account TEXT;
  `,
  // User names become unique case-insensitively; names that already clash are renamed, not merged.
  renameCaseClashes,
  // Several replicas: launch leases, login limits shared by every process, the secret key's check value.
  // A launch left `launching` by an older server has no lease, so the first replica to look claims it.
  `
  ALTER TABLE vm_records ADD COLUMN lease_owner TEXT;
  ALTER TABLE vm_records ADD COLUMN lease_until INTEGER;
  CREATE INDEX vm_records_leases ON vm_records (state, lease_until);
  CREATE TABLE login_throttles (
    key TEXT PRIMARY KEY,
    failures_json TEXT NOT NULL,
    locked_until INTEGER NOT NULL,
    lockouts INTEGER NOT NULL,
    last_activity INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE server_values (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
];

/**
 * Migration 3. In each group of names equal case-insensitively the earliest-created account keeps
 * its name; each later one is renamed to the first free `<its name>-2`, `-3`, … and the rename is
 * recorded in `user_renames`, where the boot log and the user listing report it: those users must
 * log in with the new name. Nothing is merged or deleted, so every session, token, credential and
 * VM record stays with its account. Then the unique index makes new clashes impossible, even
 * between two processes creating users at once.
 */
function renameCaseClashes(db: Database, now: Date): void {
  db.exec(`
  CREATE TABLE user_renames (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    old_name TEXT NOT NULL,
    new_name TEXT NOT NULL,
    renamed_at TEXT NOT NULL
  ) STRICT;
  `);
  // rowid breaks ties between accounts created within the same millisecond: it is insertion order.
  const users = db.prepare('SELECT id, name FROM users ORDER BY created_at, rowid').all() as {
    id: string;
    name: string;
  }[];
  // Every existing name is taken up front, so a new name never lands on a later account's name.
  const taken = new Set(users.map((user) => userNameKey(user.name)));
  const kept = new Set<string>();
  const rename = db.prepare('UPDATE users SET name = ? WHERE id = ?');
  const record = db.prepare(
    'INSERT INTO user_renames (user_id, old_name, new_name, renamed_at) VALUES (?, ?, ?, ?)',
  );
  for (const user of users) {
    const key = userNameKey(user.name);
    if (!kept.has(key)) {
      kept.add(key);
      continue;
    }
    const newName = freeUserName(user.name, taken);
    taken.add(userNameKey(newName));
    rename.run(newName, user.id);
    record.run(user.id, user.name, newName, now.toISOString());
  }
  db.exec('CREATE UNIQUE INDEX users_name_nocase ON users (name COLLATE NOCASE);');
}

/**
 * Brings the database to the newest version this code knows, each migration (SQL text or function)
 * in its own transaction together with its `schema_migrations` row, so a crash or a throw
 * mid-migration leaves the previous version. Refuses a database written by a newer server: running
 * old code on it could corrupt data.
 */
export function migrate(
  db: Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date(),
): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT',
  );
  const readVersion = (): number =>
    (db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null })
      .version ?? 0;
  const refuseNewer = (version: number): void => {
    if (version > migrations.length) {
      throw new ServerError(
        'CONFIG_INVALID',
        `The store ${file} has schema version ${version}, but this server knows versions up to ` +
          `${migrations.length}. It was written by a newer SlipStream server: upgrade this server, or ` +
          'point SLIPSTREAM_HOME at another directory.',
      );
    }
  };
  refuseNewer(readVersion());
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  // The version is read again inside each write transaction, so two servers opening the same file
  // at once never apply a migration twice.
  const step = db.transaction((): boolean => {
    const version = readVersion();
    refuseNewer(version);
    const migration = migrations[version];
    if (migration === undefined) return false;
    const at = now();
    if (typeof migration === 'string') db.exec(migration);
    else migration(db, at);
    record.run(version + 1, at.toISOString());
    return true;
  });
  while (step.immediate()) {
    // Applied one migration; look for the next.
  }
  return migrations.length;
}
