import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session, Vm } from '@slipstream/connector-core';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store, StoredValues } from '../store/types.js';
import { accountOf } from './accounts.js';
import type { VmContext } from './context.js';
import { CloudCalls } from './deadlines.js';
import { listVms } from './list.js';
import type { SessionCache } from './sessions.js';

const INSTANCES = ['lab1', 'lab2'];
const CREDENTIALS: StoredValues = { key: { kind: 'plain', value: 'alice' } };

let dir: string;
let file: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipstream-list-'));
  file = join(dir, 'store.db');
  store = await openSqliteStore({ file });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store, counting the calls made to each of its methods. */
function counted(inner: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}

/** Alice with credentials on every instance and `perInstance` launched VMs on each. */
async function seed(perInstance: number): Promise<{ id: string; name: string; role: 'user' }> {
  const alice = await store.createUser({ name: 'alice', role: 'user', passwordHash: 'h' });
  for (const instance of INSTANCES) {
    await store.putCredentials(alice.id, instance, CREDENTIALS);
    for (let n = 1; n <= perInstance; n += 1) {
      const { record } = await store.createVmRecord({
        ownerId: alice.id,
        instance,
        idempotencyKey: `key-${n}`,
        name: `vm-${n}`,
        request: { name: `vm-${n}`, image: 'debian', size: 'small', count: 1 },
        account: accountOf(CREDENTIALS),
      });
      await store.updateVmRecord(record.id, { state: 'launched', cloudId: `${instance}-${n}` });
    }
  }
  return { id: alice.id, name: alice.name, role: 'user' };
}

/** A listing context on `listed` whose clouds describe every id asked for as running. */
function contextOn(listed: Store): VmContext {
  const session = {
    describe: async ({ ids = [] }: { ids?: readonly string[] } = {}): Promise<Vm[]> =>
      ids.map((id) => ({
        id,
        name: id,
        state: 'running',
        rawState: 'RUNNING',
        publicIps: [],
        privateIps: [],
        tags: {},
      })),
  } as unknown as Session;
  const sessions = {
    open: async () => ({ session, account: accountOf(CREDENTIALS) }),
  } as unknown as SessionCache;
  return {
    booted: {
      store: listed,
      registry: { instances: INSTANCES.map((name) => ({ name })) },
    } as unknown as VmContext['booted'],
    sessions,
    calls: new CloudCalls(),
  };
}

describe('listVms', () => {
  it('asks the store as many times for 40 VMs as for 2: never once per VM', async () => {
    const alice = await seed(20);
    const many = counted(store);
    expect((await listVms(contextOn(many.store), alice)).vms).toHaveLength(40);
    for (const record of await store.listVmRecords()) {
      if (record.idempotencyKey !== 'key-1') await store.updateVmRecord(record.id, { state: 'terminated' });
    }
    const few = counted(store);
    expect((await listVms(contextOn(few.store), alice)).vms).toHaveLength(2);

    expect(Object.fromEntries(many.calls)).toEqual(Object.fromEntries(few.calls));
    // One listing of the records, and the credentials once per instance; nothing read per record.
    expect(many.calls.get('listVmRecordSummaries')).toBe(1);
    expect(many.calls.get('getCredentials')).toBe(INSTANCES.length);
    for (const perRecord of ['getVmRecord', 'findVmRecord', 'listVmRecords', 'updateVmRecord']) {
      expect(many.calls.get(perRecord)).toBeUndefined();
    }
  });

  it('lists a record whose stored launch request cannot be decoded, with its VM', async () => {
    const alice = await seed(2);
    const db = new BetterSqlite3(file);
    try {
      db.prepare(
        "UPDATE vm_records SET request_json = '{\"image\": \"deb' WHERE idempotency_key = 'key-2'",
      ).run();
    } finally {
      db.close();
    }
    const { vms, errors } = await listVms(contextOn(store), alice);
    expect(errors).toEqual([]);
    // Sorted here: two records saved in the same millisecond are listed in the order of their
    // random ids, and this test is about the undecodable record, not the order.
    const rows = vms.map((view) => [view.instance, view.idempotencyKey, view.vm?.state].join(' ')).sort();
    expect(rows.map((row) => row.split(' '))).toEqual([
      ['lab1', 'key-1', 'running'],
      ['lab1', 'key-2', 'running'],
      ['lab2', 'key-1', 'running'],
      ['lab2', 'key-2', 'running'],
    ]);
  });
});
