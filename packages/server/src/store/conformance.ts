/**
 * The store conformance suite: one set of tests every Store implementation passes, run by
 * sqlite.test.ts and postgres.test.ts, so the two stores cannot drift apart. A target gives a fresh
 * empty database per test and opens as many stores on it as a test asks (several stores on one
 * database stand for several processes, or replicas).
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import type { Configuration, Store, VmRecord, VmRecordSummary } from './types.js';
import { userNameKey } from './user-names.js';

export interface ConformanceTarget {
  /** Prepares a new empty database for the next test. */
  fresh(): Promise<void>;
  /** Opens a store on the current database; the suite closes it. */
  open(options?: { readonly now?: () => Date }): Promise<Store>;
  /** Runs raw SQL (no parameters) on the current database, bypassing the store. */
  sql<R>(text: string): Promise<R[]>;
  /** Runs a raw SQL write (no parameters) on the current database, bypassing the store. */
  write(text: string): Promise<void>;
  /** Makes the database itself refuse inserting a configuration parameter named `key`, with `message`. */
  refuseParameter(key: string, message: string): Promise<void>;
  /**
   * True when two stores of one process must not hold transactions at once: SQLite waits for a
   * lock synchronously, so the second would stall the process holding the first. Concurrent
   * transactions are then tested through one store (across processes, crash.test.ts covers them).
   */
  readonly oneTransactionalStorePerProcess?: boolean;
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

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServerError);
    return (error as ServerError).code;
  }
  throw new Error('expected a rejection');
}

export function describeStoreConformance(name: string, target: ConformanceTarget): void {
  describe(`${name} store conformance`, () => {
    const opened: Store[] = [];
    let store: Store;

    const open = async (options?: { readonly now?: () => Date }): Promise<Store> => {
      const next = await target.open(options);
      opened.push(next);
      return next;
    };

    beforeEach(async () => {
      await target.fresh();
      store = await open();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((each) => each.close()));
    });

    describe('opening', () => {
      it('applies every migration once, however many stores open the database together', async () => {
        await Promise.all([open(), open(), open()]);
        const rows = await target.sql<{ version: number | string }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        expect(rows.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((_m, index) => index + 1));
      });

      it('answers ping and describes itself without a password', async () => {
        await store.ping();
        expect(store.description.kind).toBe(name);
        // A URL's password shows as ***.
        expect(store.description.location).not.toMatch(/:[^:@/*]+@/);
      });

      it('fails clearly after close', async () => {
        await store.close();
        expect(await codeOf(store.listUsers())).toBe('INVALID_REQUEST');
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
        expect(
          await codeOf(store.createUser({ name: 'carol', role: 'root' as never, passwordHash: 'h' })),
        ).toBe('INVALID_REQUEST');

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

        const stored = (await target.sql<{ id_hash: string }>('SELECT id_hash FROM sessions')).map(
          (row) => row.id_hash,
        );
        expect(stored).toHaveLength(1);
        expect(stored[0]).not.toContain('raw-session-id');
        expect(stored[0]).toMatch(/^[0-9a-f]{64}$/);

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
        await expect(
          store.createApiToken({ userId: user.id, name: 'ci', tokenHash: 'hash-2' }),
        ).rejects.toThrow(/already has a token named "ci"/);
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
        const wrongShape = {
          ...CONFIG,
          instances: { x: { a: { kind: 'secret' } } },
        } as unknown as Configuration;
        await expect(store.replaceConfiguration(wrongShape)).rejects.toThrow(/encrypted blob/);
        expect(await store.getConfiguration()).toEqual(before);
      });

      it('rolls back a replace that fails in the middle of its writes', async () => {
        const before = await store.replaceConfiguration(CONFIG);
        // A trigger makes the database itself fail after basics and settings were already rewritten.
        await target.refuseParameter('boom', 'boom refused');
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
        const rows = await target.sql<{ user_id: string }>('SELECT user_id FROM credentials');
        expect(rows.filter((row) => row.user_id === user.id)).toHaveLength(2);
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
        store = await open({ now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
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

      it('lists summaries: the records without their requests, never decoding a request', async () => {
        let tick = 0;
        store = await open({ now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
        const owner = await store.createUser({ name: 'ana', role: 'user', passwordHash: 'h' });
        const other = await store.createUser({ name: 'bo', role: 'user', passwordHash: 'h' });
        const base = { ownerId: owner.id, instance: 'lab2', name: 'web', request: { image: 'debian' } };
        const leased = await store.createVmRecord({
          ...base,
          idempotencyKey: 'leased',
          lease: { owner: 'replica-1', ms: 60_000 },
        });
        const launched = await store.createVmRecord({ ...base, idempotencyKey: 'launched', account: 'acct' });
        await store.updateVmRecord(launched.record.id, { state: 'launched', cloudId: 'i-1' });
        const failed = await store.createVmRecord({ ...base, instance: 'local', idempotencyKey: 'failed' });
        await store.updateVmRecord(failed.record.id, {
          state: 'failed',
          error: { code: 'CLOUD_ERROR', message: 'no' },
        });
        await store.createVmRecord({ ...base, ownerId: other.id, idempotencyKey: 'theirs' });
        expect(leased.record.lease?.owner).toBe('replica-1');

        const byId = (a: VmRecordSummary, b: VmRecordSummary): number => (a.id < b.id ? -1 : 1);
        const withoutRequest = (records: readonly VmRecord[]): VmRecordSummary[] =>
          records.map(({ request: _request, ...summary }) => summary).sort(byId);
        for (const filter of [
          undefined,
          { ownerId: owner.id },
          { instance: 'lab2' },
          { states: ['launching', 'failed'] as const },
          { ownerId: owner.id, instance: 'local', states: ['failed'] as const },
          { states: [] },
        ]) {
          const summaries = (await store.listVmRecordSummaries(filter)).sort(byId);
          expect(summaries).toStrictEqual(withoutRequest(await store.listVmRecords(filter)));
          for (const summary of summaries) expect(summary).not.toHaveProperty('request');
        }
        expect(await store.listVmRecordSummaries()).toHaveLength(4);

        // A request the store cannot decode (written by hand, or cut short) does not stop the listing.
        await target.write(
          `UPDATE vm_records SET request_json = '{"image": "deb' WHERE idempotency_key = 'launched'`,
        );
        // (The full listing decodes it, and fails: the row really is undecodable.)
        await expect(store.listVmRecords({ ownerId: owner.id })).rejects.toThrow();
        const listed = await store.listVmRecordSummaries({ ownerId: owner.id, states: ['launched'] });
        expect(listed).toMatchObject([{ id: launched.record.id, cloudId: 'i-1', account: 'acct' }]);
      });

      it('rejects requests that are not JSON objects', async () => {
        const owner = await store.createUser({ name: 'max', role: 'user', passwordHash: 'h' });
        const base = { ownerId: owner.id, instance: 'lab2', idempotencyKey: 'k', name: 'n' };
        expect(await codeOf(store.createVmRecord({ ...base, request: [] as never }))).toBe('INVALID_REQUEST');
        expect(
          await codeOf(store.createVmRecord({ ...base, request: { n: Number.POSITIVE_INFINITY } })),
        ).toBe('INVALID_REQUEST');
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

      it('keeps other callers out of the open transaction: they neither see nor join it', async () => {
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

    describe('user names', () => {
      it('are unique case-insensitively, the refusal naming the existing account', async () => {
        await store.createUser({ name: 'Alice', role: 'user', passwordHash: 'h' });
        const refused = store.createUser({ name: 'alice', role: 'admin', passwordHash: 'h2' });
        await expect(refused).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
        await expect(refused).rejects.toThrow('A user named "Alice" already exists');
        expect((await store.getUserByName('ALICE'))?.name).toBe('Alice');
        // Only ASCII letters fold, as userNameKey says: "É" and "é" are two names.
        await store.createUser({ name: 'Émile', role: 'user', passwordHash: 'h' });
        await store.createUser({ name: 'émile', role: 'user', passwordHash: 'h' });
        expect((await store.listUsers()).map((user) => user.name)).toEqual(['Alice', 'Émile', 'émile']);
      });

      it('let exactly one of two concurrent creates succeed, from one store or two', async () => {
        const second = await open();
        for (const [a, b, stores] of [
          ['bob', 'BOB', [store, store]],
          ['carol', 'Carol', [store, second]],
        ] as const) {
          const results = await Promise.allSettled([
            stores[0].createUser({ name: a, role: 'user', passwordHash: 'h' }),
            stores[1].createUser({ name: b, role: 'user', passwordHash: 'h' }),
          ]);
          expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
          const failed = results.find((result) => result.status === 'rejected');
          expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_REQUEST' });
        }
        expect((await store.listUsers()).map((user) => userNameKey(user.name)).sort()).toEqual([
          'bob',
          'carol',
        ]);
      });
    });

    describe('transactions across stores', () => {
      it('run one at a time: of 24 launches checking a quota of 5 from two stores, exactly 5 pass', async () => {
        const second = target.oneTransactionalStorePerProcess ? store : await open();
        const owner = await store.createUser({ name: 'quota', role: 'user', passwordHash: 'h' });
        const launch = (each: Store, index: number) =>
          each.transaction(
            async (tx) => {
              const live = await tx.listVmRecords({ ownerId: owner.id, instance: 'lab2' });
              if (live.length >= 5) throw new ServerError('QUOTA_EXCEEDED', 'full');
              return tx.createVmRecord({
                ownerId: owner.id,
                instance: 'lab2',
                idempotencyKey: `k${index}`,
                name: `vm${index}`,
                request: {},
              });
            },
            { scope: `quota ${owner.id} lab2` },
          );
        const results = await Promise.allSettled(
          Array.from({ length: 24 }, (_item, index) => launch(index % 2 === 0 ? store : second, index)),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
        expect(await store.listVmRecords({ ownerId: owner.id })).toHaveLength(5);
      });

      it.skipIf(target.oneTransactionalStorePerProcess === true)(
        'of different scopes run side by side, while one of the same scope waits',
        async () => {
          const second = await open();
          let release: () => void = () => undefined;
          const gate = new Promise<void>((done) => {
            release = done;
          });
          const order: string[] = [];
          const holding = store.transaction(
            async (tx) => {
              await tx.getServerValue('x');
              order.push('a begins');
              await gate;
              order.push('a ends');
            },
            { scope: 'a' },
          );
          await expect.poll(() => order.length).toBe(1);
          // Another scope commits while `a` is open; a second transaction of scope `a` waits for it.
          const sameScope = second.transaction(
            async () => {
              order.push('a again');
            },
            { scope: 'a' },
          );
          await second.transaction(
            async () => {
              order.push('b');
            },
            { scope: 'b' },
          );
          release();
          await Promise.all([holding, sameScope]);
          expect(order).toEqual(['a begins', 'b', 'a ends', 'a again']);
        },
      );
    });

    describe('launch leases', () => {
      const launching = async (
        each: Store,
        ownerId: string,
        key: string,
        lease?: { owner: string; ms: number },
      ) =>
        (
          await each.createVmRecord({
            ownerId,
            instance: 'lab2',
            idempotencyKey: key,
            name: key,
            request: {},
            ...(lease === undefined ? {} : { lease }),
          })
        ).record;

      it('belong to the replica running the launch until they expire, and go when the launch settles', async () => {
        const user = await store.createUser({ name: 'lease', role: 'user', passwordHash: 'h' });
        const held = await launching(store, user.id, 'held', { owner: 'replica-a', ms: 60_000 });
        expect(held.lease?.owner).toBe('replica-a');
        expect(Date.parse(held.lease?.expiresAt ?? '')).toBeGreaterThan(Date.now() + 30_000);
        // Only the owner renews, and only leases it holds.
        expect(await store.renewLaunchLeases('replica-b', [held.id], 60_000)).toEqual([]);
        expect(await store.renewLaunchLeases('replica-a', [held.id, 'unknown'], 120_000)).toEqual([held.id]);
        const renewed = await store.getVmRecord(held.id);
        expect(Date.parse(renewed?.lease?.expiresAt ?? '')).toBeGreaterThan(Date.now() + 90_000);
        // Nobody else can claim a live lease.
        expect(
          await store.claimLaunches({ owner: 'replica-b', ms: 1000, instances: ['lab2'], limit: 10 }),
        ).toEqual([]);
        const settled = await store.updateVmRecord(held.id, { state: 'launched', cloudId: 'vm-1' });
        expect(settled.lease).toBeUndefined();
        expect(await store.renewLaunchLeases('replica-a', [held.id], 60_000)).toEqual([]);
        // A settled record is never claimed, even with its lease gone.
        expect(
          await store.claimLaunches({ owner: 'replica-b', ms: 1000, instances: ['lab2'], limit: 10 }),
        ).toEqual([]);
      });

      it('expired or missing are claimed by another replica, oldest first, on the instances it runs', async () => {
        // A clock a second apart per call, so the records' ages differ.
        let tick = 0;
        store = await open({ now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
        const user = await store.createUser({ name: 'claim', role: 'user', passwordHash: 'h' });
        const orphan = await launching(store, user.id, 'orphan');
        const expired = await launching(store, user.id, 'expired', { owner: 'replica-a', ms: 0 });
        await launching(store, user.id, 'alive', { owner: 'replica-a', ms: 60_000 });
        await store.createVmRecord({
          ownerId: user.id,
          instance: 'elsewhere',
          idempotencyKey: 'other-instance',
          name: 'x',
          request: {},
        });
        // Asked for one record only, a claim leaves the others (ms 0: it stays claimable).
        const [only] = await store.claimLaunches({
          owner: 'replica-b',
          ms: 0,
          instances: ['lab2'],
          limit: 10,
          ids: [expired.id],
        });
        expect(only?.id).toBe(expired.id);
        const claimed = await store.claimLaunches({
          owner: 'replica-b',
          ms: 60_000,
          instances: ['lab2'],
          limit: 10,
        });
        expect(claimed.map((record) => record.id)).toEqual([orphan.id, expired.id]);
        expect(claimed.every((record) => record.lease?.owner === 'replica-b')).toBe(true);
        expect(claimed[0]).toMatchObject({ state: 'launching', idempotencyKey: 'orphan' });
        // Claimed now: not again.
        expect(
          await store.claimLaunches({ owner: 'replica-c', ms: 1000, instances: ['lab2'], limit: 10 }),
        ).toEqual([]);
        // A lease may be dropped on purpose (the launch waits for the next claim).
        await store.updateVmRecord(orphan.id, { lease: null });
        expect((await store.getVmRecord(orphan.id))?.lease).toBeUndefined();
      });

      it('are never claimed twice by replicas claiming at once', async () => {
        const others = [await open(), await open()];
        const user = await store.createUser({ name: 'race', role: 'user', passwordHash: 'h' });
        const ids = new Set<string>();
        for (let index = 0; index < 30; index++) ids.add((await launching(store, user.id, `r${index}`)).id);
        const rounds = await Promise.all(
          [store, ...others].flatMap((each, replica) =>
            [0, 1, 2].map(() =>
              each.claimLaunches({ owner: `replica-${replica}`, ms: 60_000, instances: ['lab2'], limit: 4 }),
            ),
          ),
        );
        const claimed = rounds.flat().map((record) => record.id);
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed.length).toBe(Math.min(30, 9 * 4));
        for (const id of claimed) expect(ids.has(id)).toBe(true);
      });
    });

    describe('login limits and server values', () => {
      it('keep login throttles by key, replacing, forgetting and pruning them', async () => {
        const throttle = { failures: [1000, 2000], lockedUntil: 5000, lockouts: 1, lastActivity: 2000 };
        expect(await store.getLoginThrottle('k')).toBeUndefined();
        await store.putLoginThrottle('k', throttle);
        expect(await (await open()).getLoginThrottle('k')).toEqual(throttle);
        await store.putLoginThrottle('k', { ...throttle, failures: [], lockouts: 2 });
        expect(await store.getLoginThrottle('k')).toMatchObject({ failures: [], lockouts: 2 });
        await store.putLoginThrottle('old', {
          failures: [10],
          lockedUntil: 0,
          lockouts: 0,
          lastActivity: 10,
        });
        // Pruned only when both its activity and its lockout ended before the time given.
        expect(await store.deleteLoginThrottles(3000)).toBe(1);
        expect(await store.getLoginThrottle('old')).toBeUndefined();
        expect(await store.getLoginThrottle('k')).toBeDefined();
        await store.putLoginThrottle('k', undefined);
        expect(await store.getLoginThrottle('k')).toBeUndefined();
      });

      it('initialise a server value once: the first writer wins, whoever asks', async () => {
        const second = await open();
        expect(await store.getServerValue('key-check')).toBeUndefined();
        const written = await Promise.all([
          store.initServerValue('key-check', 'from-a'),
          second.initServerValue('key-check', 'from-b'),
        ]);
        expect(new Set(written).size).toBe(1);
        expect(await store.getServerValue('key-check')).toBe(written[0]);
        expect(await store.initServerValue('key-check', 'later')).toBe(written[0]);
      });
    });
  });
}
