import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStoreConformance } from './conformance.js';
import { MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

let dir: string;
let file: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipstream-store-'));
  file = join(dir, 'nested', 'store.db');
  store = await openSqliteStore({ file });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openSqliteStore', () => {
  it('creates the directory, the file with mode 0600, and uses WAL with foreign keys', async () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(versions).toEqual(MIGRATIONS.map((_sql, index) => index + 1));
    } finally {
      db.close();
    }
  });

  it('keeps the data when reopened: the migrations are not applied again', async () => {
    await store.createUser({ name: 'admin', role: 'admin', passwordHash: 'h' });
    await store.close();
    store = await openSqliteStore({ file });
    await store.close();
    store = await openSqliteStore({ file });
    expect((await store.getUserByName('admin'))?.role).toBe('admin');
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer schema, naming both versions', async () => {
    await store.close();
    const db = new BetterSqlite3(file);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
      MIGRATIONS.length + 5,
      new Date().toISOString(),
    );
    db.close();
    const opening = openSqliteStore({ file });
    await expect(opening).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(opening).rejects.toThrow(`schema version ${MIGRATIONS.length + 5}`);
    await expect(opening).rejects.toThrow('upgrade this server');
    // Reopen something valid so afterEach can close it.
    rmSync(file);
    store = await openSqliteStore({ file });
  });

  it('explains when the store file cannot be created', async () => {
    const blocker = join(dir, 'blocker');
    await (await openSqliteStore({ file: blocker })).close();
    // A regular file where a directory should be.
    await expect(openSqliteStore({ file: join(blocker, 'store.db') })).rejects.toThrow(/SLIPSTREAM_HOME/);
  });
});

describeStoreConformance('sqlite', {
  oneTransactionalStorePerProcess: true,
  async fresh() {
    rmSync(join(dir, 'conformance'), { recursive: true, force: true });
  },
  open: (options) => openSqliteStore({ file: join(dir, 'conformance', 'store.db'), ...options }),
  async sql<R>(text: string): Promise<R[]> {
    const db = new BetterSqlite3(join(dir, 'conformance', 'store.db'), { readonly: true });
    try {
      return db.prepare(text).all() as R[];
    } finally {
      db.close();
    }
  },
  async write(text) {
    const db = new BetterSqlite3(join(dir, 'conformance', 'store.db'));
    try {
      db.exec(text);
    } finally {
      db.close();
    }
  },
  async refuseParameter(key, message) {
    const db = new BetterSqlite3(join(dir, 'conformance', 'store.db'));
    try {
      db.exec(`CREATE TRIGGER refuse_${key} BEFORE INSERT ON configuration_parameters WHEN NEW.key = '${key}'
               BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    } finally {
      db.close();
    }
  },
});
