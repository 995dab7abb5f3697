import type { RequestRecord } from '@slipstream/cloud-simulators';
import { ConnectorError } from '@slipstream/connector-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVcloudConnector } from './connector.js';
import { startTarget, type Target } from './testing/fixtures.js';

describe('vCloud queries: the pages after the first asked together, within max.iaas.workers', () => {
  // Every page is held back long enough that pages sent together surely overlap in the simulator
  // even on a loaded machine; the assertions read the simulator's log, never the clock.
  const LATENCY_MS = 400;
  let target: Target;
  /** The `page` of each VM query, in the order they arrived. */
  let pagesAsked: number[];
  const names: string[] = [];

  const seed = (count: number, namePrefix: string): string[] => {
    const { cloud } = target.sim.control;
    const account = cloud.accountByKey(target.sim.credentials.key)?.id as string;
    const [zone, image, size] = [cloud.zones[0]?.id, cloud.images[0]?.id, cloud.sizes[0]?.id].map(String) as [
      string,
      string,
      string,
    ];
    return cloud.seedVms(account, count, { zone, image, size, namePrefix }).map((vm) => vm.name);
  };

  const holdBack = (onPage: (page: number) => void = () => undefined): void =>
    target.sim.control.addLatency(LATENCY_MS, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        if (request.operation !== 'query:vm') return false;
        const page = Number(request.url.searchParams.get('page'));
        pagesAsked.push(page);
        onPage(page);
        return true;
      },
    });

  beforeAll(async () => {
    // Two records a page and three pages at a time: 11 VMs make a first page and five more.
    target = await startTarget({
      definition: createVcloudConnector({ pageSize: 2 }),
      parameters: { 'max.iaas.workers': 3 },
    });
    names.push(...seed(11, 'pg'));
    // The VDC's href is looked up once per session: done here, outside the counted requests.
    await target.session.describe();
  });
  afterAll(() => target.close());
  beforeEach(() => {
    pagesAsked = [];
    target.sim.control.clearRequests();
  });
  afterEach(() => target.sim.control.clearFaults());

  const vmQueries = (): RequestRecord[] =>
    target.sim.control.requests
      .filter((r) => r.operation === 'query:vm')
      .sort((a, b) => a.receivedAt - b.receivedAt);

  it('asks the first page alone, then the other five at most three at a time, and returns every VM once in order', async () => {
    holdBack();
    const vms = await target.session.describe();
    expect(pagesAsked.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const [first, ...rest] = vmQueries();
    expect(first).toMatchObject({ inFlight: 1, status: 200 });
    for (const page of rest) expect(page.receivedAt).toBeGreaterThan(first?.answeredAt ?? 0);
    expect(Math.max(...rest.map((r) => r.inFlight))).toBe(3);
    // The query sorts by name; every VM once, in that order.
    expect(vms.map((vm) => vm.name)).toEqual([...names].sort());
  });

  it('fails the query with the first failing page, cancelling the pages in flight and asking no more', async () => {
    target.sim.control.failWithStatus(500, {
      message: 'simulated failure',
      match: (request) => request.operation === 'query:vm' && request.url.searchParams.get('page') === '3',
    });
    // Page 3 fails at once (after the transport's retries) while 2 and 4 are held back.
    target.sim.control.addLatency(LATENCY_MS, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        if (request.operation !== 'query:vm') return false;
        pagesAsked.push(Number(request.url.searchParams.get('page')));
        return request.url.searchParams.get('page') !== '3';
      },
    });
    const error = await target.session.describe().catch((caught: unknown) => caught);
    expect(ConnectorError.is(error)).toBe(true);
    expect([...new Set(pagesAsked)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  });

  it('keeps every VM once when VMs are added while the pages are read', async () => {
    const added: string[] = [];
    // The first answer says 11; three more, named to sort after them, arrive as page 2 is asked.
    holdBack((page) => {
      if (page === 2 && added.length === 0) added.push(...seed(3, 'pg-9'));
    });
    const vms = await target.session.describe();
    // Pages 1–6 as planned from a total of 11, then page 7 by the last page's nextPage link.
    expect(pagesAsked.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(added).toHaveLength(3);
    expect(vms.map((vm) => vm.name)).toEqual([...names, ...added].sort());
  });
});
