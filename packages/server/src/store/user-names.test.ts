import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { writeOldStore } from '../testing/old-store.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { hashSessionId } from './rows.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';
import { freeUserName, MAX_USER_NAME_LENGTH, userNameKey } from './user-names.js';

let dir: string;
let file: string;
const opened: Store[] = [];

async function open(now?: () => Date): Promise<Store> {
  const store = await openSqliteStore({ file, ...(now === undefined ? {} : { now }) });
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipstream-user-names-'));
  file = join(dir, 'store.db');
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<ServerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServerError);
    return error as ServerError;
  }
  throw new Error('expected a rejection');
}

describe('userNameKey and freeUserName', () => {
  it('fold ASCII letters only, as SQLite NOCASE does', () => {
    expect(userNameKey('Alice.O-Neil@Lab')).toBe('alice.o-neil@lab');
    // NOCASE leaves non-ASCII letters alone; so must the key, or the two would disagree.
    expect(userNameKey('ÉLODIE')).toBe('Élodie');
  });

  it('take the first free suffix, case-insensitively, and stay within 64 characters', () => {
    expect(freeUserName('alice', new Set(['alice']))).toBe('alice-2');
    expect(freeUserName('ALICE', new Set(['alice', 'alice-2', 'alice-3']))).toBe('ALICE-4');
    const long = 'X'.repeat(MAX_USER_NAME_LENGTH);
    const renamed = freeUserName(long, new Set([userNameKey(long)]));
    expect(renamed).toBe(`${'X'.repeat(MAX_USER_NAME_LENGTH - 2)}-2`);
    expect(renamed).toMatch(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/);
  });
});

describe('user names are unique case-insensitively', () => {
  it('is enforced by the database itself, not only by the store code', async () => {
    await (await open()).createUser({ name: 'dave', role: 'user', passwordHash: 'h' });
    const db = new BetterSqlite3(file);
    try {
      expect(() =>
        db
          .prepare(
            "INSERT INTO users (id, name, role, password_hash, created_at) VALUES ('x', 'DAVE', 'user', 'h', '2026-01-01T00:00:00.000Z')",
          )
          .run(),
      ).toThrow(/UNIQUE constraint failed/);
    } finally {
      db.close();
    }
  });
});

describe('migration 3: existing names that differ only in case', () => {
  const at = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  const MIGRATED_AT = new Date('2026-06-01T12:00:00.000Z');

  it('keeps the earliest name, renames the later ones to the first free suffix, and loses nothing', async () => {
    const ids = writeOldStore(
      file,
      2,
      [
        { name: 'Alice', createdAt: at(1) },
        { name: 'alice', createdAt: at(2) },
        { name: 'ALICE', createdAt: at(3) },
        { name: 'alice-2', createdAt: at(4) },
        // Created in the same millisecond: the one inserted first is the earlier.
        { name: 'bob', createdAt: at(5) },
        { name: 'BOB', createdAt: at(5) },
        { name: 'erin', createdAt: at(6) },
      ],
      (db, [, alice, upper]) => {
        db.prepare(
          "INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES (?, ?, 'c', '2099-01-01T00:00:00.000Z')",
        ).run(hashSessionId('session-of-alice'), alice);
        db.prepare(
          "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ('t1', ?, 'ci', 'th', ?)",
        ).run(upper, at(7));
        db.prepare("INSERT INTO credentials (user_id, instance, updated_at) VALUES (?, 'local', ?)").run(
          alice,
          at(7),
        );
        db.prepare(
          `INSERT INTO credential_values (user_id, instance, key, value_json, secret_blob)
           VALUES (?, 'local', 'user', '"a"', NULL)`,
        ).run(alice);
        db.prepare(
          `INSERT INTO vm_records (id, owner_id, instance, idempotency_key, name, state, request_json,
             created_at, updated_at) VALUES ('vm1', ?, 'local', 'k1', 'vm', 'launched', '{}', ?, ?)`,
        ).run(upper, at(7), at(7));
      },
    );
    const [oldest, alice, upper, alice2, bob, bobUpper, erin] = ids as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];

    const store = await open(() => MIGRATED_AT);
    const nameOf = async (id: string): Promise<string | undefined> => (await store.getUser(id))?.name;
    expect(await nameOf(oldest)).toBe('Alice');
    // alice-2 is taken by an account of its own, so alice becomes alice-3 and ALICE the next free one.
    expect(await nameOf(alice)).toBe('alice-3');
    expect(await nameOf(upper)).toBe('ALICE-4');
    expect(await nameOf(alice2)).toBe('alice-2');
    expect(await nameOf(bob)).toBe('bob');
    expect(await nameOf(bobUpper)).toBe('BOB-2');
    expect(await nameOf(erin)).toBe('erin');
    expect(await store.listUserRenames()).toEqual([
      { userId: alice, oldName: 'alice', newName: 'alice-3', renamedAt: MIGRATED_AT.toISOString() },
      { userId: upper, oldName: 'ALICE', newName: 'ALICE-4', renamedAt: MIGRATED_AT.toISOString() },
      { userId: bobUpper, oldName: 'BOB', newName: 'BOB-2', renamedAt: MIGRATED_AT.toISOString() },
    ]);

    // Every account, and everything it owns, is still there under its id.
    expect(await store.listUsers()).toHaveLength(7);
    expect((await store.getSession('session-of-alice'))?.userId).toBe(alice);
    expect((await store.getCredentials(alice, 'local'))?.values).toEqual({
      user: { kind: 'plain', value: 'a' },
    });
    expect((await store.listApiTokens(upper)).map((token) => token.name)).toEqual(['ci']);
    expect((await store.listVmRecords({ ownerId: upper })).map((record) => record.id)).toEqual(['vm1']);
    // The old spelling now finds the account that kept it; the renamed ones answer to their new names.
    expect((await store.getUserByName('ALICE'))?.id).toBe(oldest);
    expect((await store.getUserByName('Alice-3'))?.id).toBe(alice);
    expect(await rejection(store.createUser({ name: 'bOb', role: 'user', passwordHash: 'h' }))).toMatchObject(
      {
        code: 'INVALID_REQUEST',
      },
    );

    await store.close();
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('renames nothing when no names clash', async () => {
    writeOldStore(file, 2, [
      { name: 'alice', createdAt: at(1) },
      { name: 'alice-2', createdAt: at(2) },
    ]);
    const store = await open();
    expect((await store.listUsers()).map((user) => user.name)).toEqual(['alice', 'alice-2']);
    expect(await store.listUserRenames()).toEqual([]);
  });

  it('runs a migration function in its own transaction: one that throws leaves the previous version', () => {
    writeOldStore(file, 2, [
      { name: 'Alice', createdAt: at(1) },
      { name: 'alice', createdAt: at(2) },
    ]);
    const db = new BetterSqlite3(file);
    try {
      const failing = [
        ...MIGRATIONS.slice(0, 2),
        (inner: BetterSqlite3.Database): void => {
          inner.exec("UPDATE users SET name = 'changed' WHERE name = 'alice'");
          throw new Error('the migration failed half-way');
        },
      ];
      expect(() => migrate(db, file, failing)).toThrow('the migration failed half-way');
      expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(2);
      expect(db.prepare('SELECT name FROM users ORDER BY created_at').pluck().all()).toEqual([
        'Alice',
        'alice',
      ]);
    } finally {
      db.close();
    }
  });
});
