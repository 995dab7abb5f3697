import type { RequestRecord } from '@slipstream/cloud-simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenNebulaClient } from './client.js';
import { createOpenNebulaConnector } from './connector.js';
import { listVmItems } from './pool.js';
import { contextFor } from './testing/context.js';
import { startTarget, type Target } from './testing/fixtures.js';

const vmXml = (id: number) => `<VM><ID>${id}</ID><NAME><![CDATA[vm-${id}]]></NAME><STATE>3</STATE></VM>`;

/**
 * A user's VM pool as oned pages it: newest first, offset and page size when `end` < -1, an id
 * range otherwise. `between` runs before each call after the first, to change the pool meanwhile.
 */
function fakePool(initial: number[], between?: (ids: number[], call: number) => void) {
  const ids = [...initial];
  const calls: number[][] = [];
  const signals: Array<AbortSignal | undefined> = [];
  let failing: ((parameters: number[]) => boolean) | undefined;
  const client = {
    async document(
      method: string,
      parameters: number[],
      options: { readonly signal?: AbortSignal | undefined } = {},
    ): Promise<string> {
      expect(method).toBe('one.vmpool.info');
      if (calls.length > 0) between?.(ids, calls.length);
      calls.push(parameters);
      signals.push(options.signal);
      // An answer comes a turn later, as over a network, so that pages asked together are in flight together.
      await new Promise((resolve) => setImmediate(resolve));
      if (failing?.(parameters)) throw new Error(`page at ${parameters[1]} failed`);
      const [, start = 0, end = 0] = parameters;
      const sorted = [...ids].sort((a, b) => b - a);
      const page =
        end < -1
          ? sorted.slice(start, start - end)
          : sorted.filter((id) => id >= start && (end === -1 || id <= end));
      return `<VM_POOL>${page.map((id) => vmXml(id)).join('')}</VM_POOL>`;
    },
  };
  return {
    ids,
    calls,
    signals,
    fail: (when: (parameters: number[]) => boolean) => {
      failing = when;
    },
    client: client as unknown as OpenNebulaClient,
  };
}

const idsOf = (items: unknown[]) => items.map((item) => Number((item as { ID: string }).ID));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('listing the VM pool', () => {
  it('reads every page to the end, newest first, each VM once', async () => {
    const pool = fakePool(range(1, 1234));
    const items = await listVmItems(contextFor(pool.client), undefined);
    expect(idsOf(items)).toEqual(range(1, 1234).reverse());
    // The first page, then windows of five: pages 1–5, 6–10, 11–15, of which 12 is short.
    expect(pool.calls.length).toBe(16);
    // Mine only, not DONE; the first page by offset 0, the next ones one VM early.
    expect(pool.calls[0]).toEqual([-3, 0, -100, -1]);
    expect(pool.calls[1]).toEqual([-3, 99, -101, -1]);
    expect(pool.calls[15]).toEqual([-3, 1499, -101, -1]);
  });

  it('skips no VM when VMs above the next page end meanwhile', async () => {
    const pool = fakePool(range(1, 350), (ids, call) => {
      // Before the second and third pages, three of the newest VMs end.
      if (call <= 2)
        for (const gone of [350 - call * 3, 349 - call * 3, 348 - call * 3]) ids.splice(ids.indexOf(gone), 1);
    });
    const items = idsOf(await listVmItems(contextFor(pool.client), undefined));
    expect(new Set(items).size).toBe(items.length);
    // Every VM still there at the end was listed.
    for (const id of pool.ids) expect(items).toContain(id);
    // The gaps were asked by id range.
    expect(pool.calls.some(([, start = 0, end = 0]) => end >= 0 && start > 0)).toBe(true);
  });

  it('lists each VM once when VMs are created meanwhile', async () => {
    let next = 251;
    const pool = fakePool(range(1, 250), (ids) => {
      ids.push(next, next + 1);
      next += 2;
    });
    const items = idsOf(await listVmItems(contextFor(pool.client), undefined));
    expect(new Set(items).size).toBe(items.length);
    for (const id of range(1, 250)) expect(items).toContain(id);
  });

  it('asks the pages after the first in windows of pageWorkers, stopping after the window with a short page', async () => {
    const pool = fakePool(range(1, 1234));
    const items = await listVmItems(contextFor(pool.client, { pageWorkers: 3 }), undefined);
    expect(idsOf(items)).toEqual(range(1, 1234).reverse());
    // Pages 1–3, 4–6, 7–9, 10–12 after the first; page 12 holds the last 35 VMs.
    expect(pool.calls.map(([, start]) => start)).toEqual([
      0, 99, 199, 299, 399, 499, 599, 699, 799, 899, 999, 1099, 1199,
    ]);
  });

  it('reads a pool that fits in the first page with one call', async () => {
    const pool = fakePool(range(1, 99));
    expect(idsOf(await listVmItems(contextFor(pool.client), undefined))).toEqual(range(1, 99).reverse());
    expect(pool.calls).toHaveLength(1);
  });

  it('fails with the first failing page, cancelling its window and asking no further', async () => {
    const pool = fakePool(range(1, 1234));
    pool.fail(([, start]) => start === 199);
    await expect(listVmItems(contextFor(pool.client), undefined)).rejects.toThrow('page at 199 failed');
    // The first page, then one window of five; the other four were cancelled.
    expect(pool.calls).toHaveLength(6);
    expect(pool.signals[0]?.aborted ?? false).toBe(false);
    expect(pool.signals.slice(1).every((signal) => signal?.aborted)).toBe(true);
  });
});

describe('OpenNebula VM pool against the simulator: pages asked together, within max.iaas.workers', () => {
  // Every call is held back long enough that calls sent together surely overlap in the simulator
  // even on a loaded machine; the assertions read the simulator's log, never the clock.
  const LATENCY_MS = 400;
  let target: Target;
  let seeded: string[];

  beforeAll(async () => {
    // Two VMs a page and three pages at a time over 11 VMs: the first page, then pages 1–3 and
    // 4–6 (page 5 is short, page 6 empty).
    target = await startTarget({
      definition: createOpenNebulaConnector({ pageSize: 2 }),
      parameters: { 'max.iaas.workers': 3 },
    });
    const { cloud } = target.sim.control;
    const account = cloud.accountByKey(target.sim.credentials.key)?.id as string;
    const [zone, image, size] = [cloud.zones[0]?.id, cloud.images[0]?.id, cloud.sizes[0]?.id].map(String) as [
      string,
      string,
      string,
    ];
    seeded = cloud.seedVms(account, 11, { zone, image, size, namePrefix: 'pg' }).map((vm) => vm.name);
  });
  afterAll(() => target.close());

  it('asks the first page alone, then windows of three, and returns every VM once, newest first', async () => {
    target.sim.control.clearRequests();
    target.sim.control.addLatency(LATENCY_MS, { times: Number.POSITIVE_INFINITY, match: 'one.vmpool.info' });
    try {
      const vms = await target.session.describe();
      const pages: RequestRecord[] = target.sim.control.requests
        .filter((r) => r.operation === 'one.vmpool.info')
        .sort((a, b) => a.receivedAt - b.receivedAt);
      expect(pages).toHaveLength(7);
      const [first, ...rest] = pages;
      expect(first).toMatchObject({ inFlight: 1, status: 200 });
      for (const page of rest) expect(page.receivedAt).toBeGreaterThan(first?.answeredAt ?? 0);
      expect(Math.max(...rest.map((r) => r.inFlight))).toBe(3);
      // The second window starts once the first is answered.
      const [a, b, c, ...later] = rest;
      for (const page of later) {
        for (const earlier of [a, b, c]) expect(page.receivedAt).toBeGreaterThan(earlier?.answeredAt ?? 0);
      }
      // oned numbers VMs as they come: newest first is the seeding order reversed.
      expect(vms.map((vm) => vm.name)).toEqual([...seeded].reverse());
    } finally {
      target.sim.control.clearFaults();
    }
  });
});
