import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqlite.js';
import type { Configuration, Store } from './types.js';

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

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServerError);
    return (error as ServerError).code;
  }
  throw new Error('expected a rejection');
}

const CONFIG: Configuration = {
  basics: { connectors: 'local,lab2:local', settings: { host: '127.0.0.1', port: '8080' } },
  instances: {
    local: { bootDelayMs: { kind: 'plain', value: 50 } },
    lab2: {
      region: { kind: 'plain', value: 'eu' },
      apiSecret: { kind: 'secret', blob: 'v1:iv:ciphertext:tag' },
      tags: { kind: 'plain', value: { a: [1, true, null] } },
    },
  },
};

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

  it('applies migrations once: reopening keeps the data and the version rows', async () => {
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

  it('fails clearly after close', async () => {
    await store.close();
    expect(await codeOf(store.listUsers())).toBe('INVALID_REQUEST');
    store = await openSqliteStore({ file });
  });
});

describe('users', () => {
  it('creates, reads, updates and deletes users; names are unique', async () => {
    const alice = await store.createUser({ name: 'alice', role: 'user', passwordHash: 'scrypt$a' });
    expect(alice).toMatchObject({ name: 'alice', role: 'user', passwordHash: 'scrypt$a' });
    expect(alice.disabled).toBeUndefined();
    expect(await store.getUser(alice.id)).toEqual(alice);
    expect(await store.getUserByName('alice')).toEqual(alice);
    expect(await codeOf(store.createUser({ name: 'alice', role: 'admin', passwordHash: 'x' }))).toBe(
      'INVALID_REQUEST',
    );
    const bob = await store.createUser({ name: 'bob', role: 'admin', passwordHash: 'h', disabled: true });
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(bob.disabled).toBe(true);

    const updated = await store.updateUser(alice.id, { role: 'admin', disabled: true });
    expect(updated).toMatchObject({ role: 'admin', passwordHash: 'scrypt$a', disabled: true });
    expect((await store.updateUser(alice.id, { disabled: false })).disabled).toBeUndefined();
    expect(await codeOf(store.updateUser('nobody', { role: 'user' }))).toBe('NOT_FOUND');
    expect(await codeOf(store.createUser({ name: 'carol', role: 'root' as never, passwordHash: 'h' }))).toBe(
      'INVALID_REQUEST',
    );

    await store.deleteUser(bob.id);
    expect(await store.getUser(bob.id)).toBeUndefined();
    expect(await codeOf(store.deleteUser(bob.id))).toBe('NOT_FOUND');
  });

  it('deleting a user removes their sessions, tokens, credentials and quotas but is refused while they own VMs', async () => {
    const user = await store.createUser({ name: 'dave', role: 'user', passwordHash: 'h' });
    await store.createSession({
      id: 's1',
      userId: user.id,
      csrfToken: 'c',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    await store.createApiToken({ userId: user.id, name: 'ci', tokenHash: 'th' });
    await store.putCredentials(user.id, 'local', { k: { kind: 'plain', value: 'v' } });
    await store.setQuotaOverride(user.id, 'local', 3);
    const { record } = await store.createVmRecord({
      ownerId: user.id,
      instance: 'local',
      idempotencyKey: 'k1',
      name: 'vm',
      request: {},
    });
    expect(await codeOf(store.deleteUser(user.id))).toBe('INVALID_REQUEST');
    expect(await store.getUser(user.id)).toBeDefined();

    await store.deleteVmRecord(record.id);
    await store.deleteUser(user.id);
    expect(await store.getSession('s1')).toBeUndefined();
    expect(await store.findApiTokenByHash('th')).toBeUndefined();
    expect(await store.getCredentials(user.id, 'local')).toBeUndefined();
    expect(await store.listQuotaOverrides()).toEqual([]);
  });
});

describe('sessions', () => {
  it('stores only the hash of the session id and looks sessions up by the raw id', async () => {
    const user = await store.createUser({ name: 'erin', role: 'user', passwordHash: 'h' });
    const session = {
      id: 'raw-session-id-123',
      userId: user.id,
      csrfToken: 'csrf',
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
    await store.createSession(session);
    expect(await store.getSession(session.id)).toEqual(session);
    expect(await store.getSession('other')).toBeUndefined();

    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const stored = db.prepare('SELECT id_hash FROM sessions').pluck().all() as string[];
      expect(stored).toHaveLength(1);
      expect(stored[0]).not.toContain('raw-session-id');
      expect(stored[0]).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      db.close();
    }

    expect(await codeOf(store.createSession({ ...session, id: 'x', userId: 'ghost' }))).toBe('NOT_FOUND');
    await store.createSession({ ...session, id: 'old', expiresAt: '2020-01-01T00:00:00Z' });
    await expect(store.createSession({ ...session, id: 'bad', expiresAt: 'tomorrow' })).rejects.toThrow(
      /ISO 8601/,
    );
    expect(await store.deleteExpiredSessions('2025-01-01T00:00:00.000Z')).toBe(1);
    expect(await store.getSession('old')).toBeUndefined();
    await store.deleteSession(session.id);
    expect(await store.getSession(session.id)).toBeUndefined();
    await store.createSession({ ...session, id: 'a' });
    await store.createSession({ ...session, id: 'b' });
    expect(await store.deleteSessionsOfUser(user.id)).toBe(2);
  });
});

describe('API tokens', () => {
  it('creates, finds, lists, touches and deletes tokens; names unique per user', async () => {
    const user = await store.createUser({ name: 'fay', role: 'user', passwordHash: 'h' });
    const other = await store.createUser({ name: 'gus', role: 'user', passwordHash: 'h' });
    const token = await store.createApiToken({ userId: user.id, name: 'ci', tokenHash: 'hash-1' });
    expect(token.lastUsedAt).toBeUndefined();
    expect(await store.findApiTokenByHash('hash-1')).toEqual(token);
    await expect(store.createApiToken({ userId: user.id, name: 'ci', tokenHash: 'hash-2' })).rejects.toThrow(
      /already has a token named "ci"/,
    );
    const duplicateHash = store.createApiToken({ userId: other.id, name: 'ci', tokenHash: 'hash-1' });
    await expect(duplicateHash).rejects.toThrow(/generate a new random token/);
    await expect(duplicateHash).rejects.not.toThrow(/hash-1/);
    await store.createApiToken({ userId: other.id, name: 'ci', tokenHash: 'hash-3' });
    expect(await codeOf(store.createApiToken({ userId: 'ghost', name: 'x', tokenHash: 'h9' }))).toBe(
      'NOT_FOUND',
    );

    await store.touchApiToken(token.id, '2026-01-02T03:04:05.000Z');
    expect((await store.listApiTokens(user.id)).map((t) => t.lastUsedAt)).toEqual([
      '2026-01-02T03:04:05.000Z',
    ]);
    await store.deleteApiToken(token.id);
    expect(await store.listApiTokens(user.id)).toEqual([]);
    expect(await store.listApiTokens(other.id)).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('is undefined until saved, then round-trips basics, plain and secret values', async () => {
    expect(await store.getConfiguration()).toBeUndefined();
    const saved = await store.replaceConfiguration(CONFIG);
    expect(saved).toMatchObject(CONFIG);
    expect(await store.getConfiguration()).toEqual(saved);
  });

  it('replaces the whole configuration: removed settings, instances and parameters disappear', async () => {
    await store.replaceConfiguration(CONFIG);
    const next: Configuration = {
      basics: { connectors: 'local', settings: { port: '9090' } },
      instances: { local: { bootDelayMs: { kind: 'plain', value: 10 } } },
    };
    await store.replaceConfiguration(next);
    expect(await store.getConfiguration()).toMatchObject(next);
    expect((await store.getConfiguration())?.instances.lab2).toBeUndefined();
  });

  it('rejects a bad value without writing anything, keeping the previous configuration', async () => {
    const before = await store.replaceConfiguration(CONFIG);
    const bad = {
      basics: { connectors: 'other', settings: {} },
      instances: { local: { a: { kind: 'plain', value: Number.NaN } } },
    } as Configuration;
    expect(await codeOf(store.replaceConfiguration(bad))).toBe('INVALID_REQUEST');
    const wrongShape = { ...CONFIG, instances: { x: { a: { kind: 'secret' } } } } as unknown as Configuration;
    await expect(store.replaceConfiguration(wrongShape)).rejects.toThrow(/encrypted blob/);
    expect(await store.getConfiguration()).toEqual(before);
  });

  it('rolls back a replace that fails in the middle of its writes', async () => {
    const before = await store.replaceConfiguration(CONFIG);
    // A trigger makes the database itself fail after basics and settings were already rewritten.
    const db = new BetterSqlite3(file);
    db.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON configuration_parameters WHEN NEW.key = 'boom'
             BEGIN SELECT RAISE(ABORT, 'boom refused'); END`);
    db.close();
    const failing: Configuration = {
      basics: { connectors: 'changed', settings: { other: 'x' } },
      instances: { a: { first: { kind: 'plain', value: 1 } }, b: { boom: { kind: 'plain', value: 2 } } },
    };
    await expect(store.replaceConfiguration(failing)).rejects.toThrow(/boom refused/);
    expect(await store.getConfiguration()).toEqual(before);
  });
});

describe('credentials', () => {
  it('keeps one set per user and instance; put replaces the set', async () => {
    const user = await store.createUser({ name: 'hal', role: 'user', passwordHash: 'h' });
    const other = await store.createUser({ name: 'ivy', role: 'user', passwordHash: 'h' });
    expect(await store.getCredentials(user.id, 'lab2')).toBeUndefined();
    await store.putCredentials(user.id, 'lab2', {
      key: { kind: 'plain', value: 'AKIA' },
      secret: { kind: 'secret', blob: 'enc-1' },
    });
    const second = await store.putCredentials(user.id, 'lab2', { key: { kind: 'plain', value: 'AKIB' } });
    expect(second.values).toEqual({ key: { kind: 'plain', value: 'AKIB' } });
    expect(await store.getCredentials(user.id, 'lab2')).toEqual(second);
    await store.putCredentials(user.id, 'local', {});
    await store.putCredentials(other.id, 'lab2', { secret: { kind: 'secret', blob: 'enc-2' } });

    expect((await store.listCredentials(user.id)).map((c) => c.instance)).toEqual(['lab2', 'local']);
    expect((await store.getCredentials(other.id, 'lab2'))?.values).toEqual({
      secret: { kind: 'secret', blob: 'enc-2' },
    });
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM credentials WHERE user_id = ?').pluck().get(user.id)).toBe(2);
    } finally {
      db.close();
    }
    expect(await codeOf(store.putCredentials('ghost', 'lab2', {}))).toBe('NOT_FOUND');
    expect(await store.deleteCredentials(user.id, 'lab2')).toBe(true);
    expect(await store.deleteCredentials(user.id, 'lab2')).toBe(false);
    expect(await store.getCredentials(user.id, 'lab2')).toBeUndefined();
  });
});

describe('quota overrides', () => {
  it('sets, updates, lists and removes overrides; rejects bad numbers', async () => {
    const user = await store.createUser({ name: 'jo', role: 'user', passwordHash: 'h' });
    await store.setQuotaOverride(user.id, 'lab2', 5);
    await store.setQuotaOverride(user.id, 'lab2', 7);
    await store.setQuotaOverride(user.id, 'local', 0);
    expect(await store.getQuotaOverride(user.id, 'lab2')).toEqual({
      userId: user.id,
      instance: 'lab2',
      vm: 7,
    });
    expect(await store.listQuotaOverrides(user.id)).toHaveLength(2);
    for (const bad of [-1, 1.5, Number.NaN]) {
      await expect(store.setQuotaOverride(user.id, 'lab2', bad)).rejects.toThrow(/whole number/);
    }
    expect(await codeOf(store.setQuotaOverride('ghost', 'lab2', 1))).toBe('NOT_FOUND');
    await store.setQuotaOverride(user.id, 'lab2', undefined);
    expect(await store.getQuotaOverride(user.id, 'lab2')).toBeUndefined();
  });
});

describe('VM records', () => {
  it('creates one record per owner, instance and idempotency key and updates it through a launch', async () => {
    let tick = 0;
    await store.close();
    store = await openSqliteStore({ file, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
    const owner = await store.createUser({ name: 'kim', role: 'user', passwordHash: 'h' });
    const other = await store.createUser({ name: 'lee', role: 'user', passwordHash: 'h' });
    const input = {
      ownerId: owner.id,
      instance: 'lab2',
      idempotencyKey: 'launch-1',
      name: 'web',
      request: { image: 'debian', size: 'small', tags: { team: 'a' } },
    };
    const first = await store.createVmRecord(input);
    expect(first.created).toBe(true);
    expect(first.record).toMatchObject({ state: 'launching', request: input.request });
    expect(first.record.cloudId).toBeUndefined();

    const again = await store.createVmRecord({ ...input, name: 'other-name' });
    expect(again).toEqual({ record: first.record, created: false });
    // The same key on another instance or for another owner is a different launch.
    expect((await store.createVmRecord({ ...input, instance: 'local' })).created).toBe(true);
    expect((await store.createVmRecord({ ...input, ownerId: other.id })).created).toBe(true);
    expect(await codeOf(store.createVmRecord({ ...input, ownerId: 'ghost' }))).toBe('NOT_FOUND');

    const launched = await store.updateVmRecord(first.record.id, { state: 'launched', cloudId: 'i-123' });
    expect(launched).toMatchObject({ state: 'launched', cloudId: 'i-123', name: 'web' });
    expect(launched.updatedAt > launched.createdAt).toBe(true);
    const failed = await store.updateVmRecord(first.record.id, {
      state: 'failed',
      error: { code: 'QUOTA_EXCEEDED', message: 'no room' },
    });
    expect(failed.error).toEqual({ code: 'QUOTA_EXCEEDED', message: 'no room' });
    const cleared = await store.updateVmRecord(first.record.id, { error: null, cloudId: null });
    expect(cleared.error).toBeUndefined();
    expect(cleared.cloudId).toBeUndefined();
    expect(await codeOf(store.updateVmRecord(first.record.id, { state: 'exploded' as never }))).toBe(
      'INVALID_REQUEST',
    );
    expect(await codeOf(store.updateVmRecord('missing', { state: 'launched' }))).toBe('NOT_FOUND');

    expect(await store.findVmRecord(owner.id, 'lab2', 'launch-1')).toEqual(
      await store.getVmRecord(first.record.id),
    );
    expect(await store.listVmRecords({ ownerId: owner.id })).toHaveLength(2);
    expect(await store.listVmRecords({ instance: 'lab2' })).toHaveLength(2);
    expect(await store.listVmRecords({ states: ['launching'] })).toHaveLength(2);
    expect(await store.listVmRecords({ states: [] })).toEqual([]);
    expect(await store.listVmRecords()).toHaveLength(3);

    expect(await store.deleteVmRecord(first.record.id)).toBe(true);
    expect(await store.deleteVmRecord(first.record.id)).toBe(false);
  });

  it('rejects requests that are not JSON objects', async () => {
    const owner = await store.createUser({ name: 'max', role: 'user', passwordHash: 'h' });
    const base = { ownerId: owner.id, instance: 'lab2', idempotencyKey: 'k', name: 'n' };
    expect(await codeOf(store.createVmRecord({ ...base, request: [] as never }))).toBe('INVALID_REQUEST');
    expect(await codeOf(store.createVmRecord({ ...base, request: { n: Number.POSITIVE_INFINITY } }))).toBe(
      'INVALID_REQUEST',
    );
    expect(await codeOf(store.createVmRecord({ ...base, idempotencyKey: '', request: {} }))).toBe(
      'INVALID_REQUEST',
    );
    expect(await store.listVmRecords()).toEqual([]);
  });
});

describe('transaction', () => {
  it('commits every change together: a user and their first credentials', async () => {
    const user = await store.transaction(async (tx) => {
      const created = await tx.createUser({ name: 'nia', role: 'user', passwordHash: 'h' });
      await tx.putCredentials(created.id, 'local', { k: { kind: 'plain', value: 1 } });
      return created;
    });
    expect(await store.getCredentials(user.id, 'local')).toBeDefined();
  });

  it('rolls back every change when the function rejects', async () => {
    await expect(
      store.transaction(async (tx) => {
        const created = await tx.createUser({ name: 'oz', role: 'user', passwordHash: 'h' });
        await tx.putCredentials(created.id, 'local', {});
        await tx.replaceConfiguration(CONFIG);
        throw new Error('credential check failed');
      }),
    ).rejects.toThrow('credential check failed');
    expect(await store.getUserByName('oz')).toBeUndefined();
    expect(await store.getConfiguration()).toBeUndefined();
  });

  it('makes other callers wait instead of seeing or joining the open transaction', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const inside = store.transaction(async (tx) => {
      await tx.createUser({ name: 'pat', role: 'user', passwordHash: 'h' });
      await gate;
      throw new Error('abandon');
    });
    // Started while the transaction is open: must not land inside it (it would be rolled back).
    const outside = store.createUser({ name: 'quinn', role: 'user', passwordHash: 'h' });
    const reader = store.getUserByName('pat');
    release();
    await expect(inside).rejects.toThrow('abandon');
    await outside;
    expect(await reader).toBeUndefined();
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['quinn']);
  });

  it('nests as savepoints: a failed inner transaction rolls back alone', async () => {
    await store.transaction(async (tx) => {
      await tx.createUser({ name: 'outer', role: 'user', passwordHash: 'h' });
      await expect(
        tx.transaction(async (inner) => {
          await inner.createUser({ name: 'inner', role: 'user', passwordHash: 'h' });
          throw new Error('inner failed');
        }),
      ).rejects.toThrow('inner failed');
      // Calls on the outer handle from inside join the transaction rather than deadlocking.
      await store.createUser({ name: 'joined', role: 'user', passwordHash: 'h' });
    });
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['joined', 'outer']);
  });

  it('refuses close() from inside a transaction', async () => {
    await store.transaction(async () => {
      expect(await codeOf(store.close())).toBe('INVALID_REQUEST');
    });
    expect(await store.listUsers()).toEqual([]);
  });
});
