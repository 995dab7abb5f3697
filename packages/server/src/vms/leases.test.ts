import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { LaunchLeases } from './leases.js';

let dir: string;
let store: Store;
let time: number;
let ownerId: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipstream-leases-'));
  time = Date.UTC(2026, 0, 1);
  // The store's clock, moved by the tests: leases expire by it.
  store = await openSqliteStore({ file: join(dir, 'store.db'), now: () => new Date(time) });
  ownerId = (await store.createUser({ name: 'owner', role: 'user', passwordHash: 'h' })).id;
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function launching(leases: LaunchLeases, key: string) {
  return (
    await store.createVmRecord({
      ownerId,
      instance: 'lab',
      idempotencyKey: key,
      name: key,
      request: {},
      lease: leases.request,
    })
  ).record;
}

const claim = (owner: string) => store.claimLaunches({ owner, ms: 1000, instances: ['lab'], limit: 10 });

describe('LaunchLeases', () => {
  it('names this process and a random part, so a restarted replica owns none of its earlier leases', () => {
    const first = new LaunchLeases(store, 1000);
    const second = new LaunchLeases(store, 1000);
    expect(first.owner).toContain(`:${process.pid}:`);
    expect(first.owner).not.toBe(second.owner);
  });

  it('renews the leases of the launches it holds, so nobody claims them while they run', async () => {
    const leases = new LaunchLeases(store, 10_000);
    const record = await launching(leases, 'held');
    await leases.hold(record.id, async () => {
      time += 8_000;
      await leases.renew();
      time += 8_000;
      // 16 s after the launch began, its 10 s lease still runs: it was renewed at 8 s.
      expect(await claim('other')).toEqual([]);
    });
    // Once the launch no longer runs here, nothing renews it: after the lease, another replica claims it.
    await leases.renew();
    time += 10_000;
    expect((await claim('other')).map((each) => each.id)).toEqual([record.id]);
  });

  it('reports a lease another replica took over instead of fighting for it', async () => {
    const warnings: unknown[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (fields: Record<string, unknown>) => warnings.push(fields),
      error: () => {},
    };
    const leases = new LaunchLeases(store, 1000, logger);
    const record = await launching(leases, 'lost');
    await leases.hold(record.id, async () => {
      time += 2_000;
      expect(await claim('other')).toHaveLength(1);
      await leases.renew();
    });
    expect(warnings).toEqual([{ records: [record.id] }]);
    expect((await store.getVmRecord(record.id))?.lease?.owner).toBe('other');
    // Checked right before the cloud is asked: a launch taken over is not launched here too.
    expect(await leases.stillHeld(record.id)).toBe(false);
  });

  it('keeps acquired leases renewed until released, so claimed launches waiting their turn keep them', async () => {
    const leases = new LaunchLeases(store, 10_000);
    const waiting = await launching(leases, 'waiting');
    const release = leases.acquire(waiting.id);
    time += 8_000;
    await leases.renew();
    time += 8_000;
    expect(await claim('other')).toEqual([]);
    expect(await leases.stillHeld(waiting.id)).toBe(true);
    release();
    release();
    time += 10_001;
    await leases.renew();
    expect((await claim('other')).map((each) => each.id)).toEqual([waiting.id]);
  });
});
