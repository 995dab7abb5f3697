import { ManualClock, type RequestRecord, type RunningSimulator } from '@slipstream/cloud-simulators';
import { CLOUDSTACK_API_PATH, startCloudStack } from '@slipstream/cloud-simulators/cloudstack';
import { ConnectorError, createHttpTransport, type HttpTransport } from '@slipstream/connector-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClientOptions, CloudStackClient, type Json } from './client.js';
import { type Rig, SMALL, startRig, UBUNTU, ZONE_A } from './testing/fixtures.js';

describe('CloudStackClient', () => {
  let sim: RunningSimulator;
  let http: HttpTransport;
  let accountId: string;
  const client = (options: Partial<ClientOptions> = {}): CloudStackClient =>
    new CloudStackClient({
      http,
      endpoint: `${sim.url}${CLOUDSTACK_API_PATH}`,
      apiKey: sim.credentials.key,
      secretKey: sim.credentials.secret,
      signatureExpiryMs: 600_000,
      pageSize: 500,
      ...options,
    });

  beforeAll(async () => {
    sim = await startCloudStack({ defaultPageSize: 4 });
    http = createHttpTransport({ retries: 0 });
    accountId = sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '';
    sim.control.cloud.seedVms(accountId, 7, { zone: ZONE_A.id, image: UBUNTU.id, size: SMALL.id });
  });
  afterAll(async () => {
    await http.close();
    await sim.close();
  });
  afterEach(() => sim.control.clearRequests());

  it('unwraps the envelope and reads the server time', async () => {
    const before = Date.now();
    const { value, serverTime } = await client().request('listZones');
    expect(value.count).toBe(2);
    expect(serverTime).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('refuses a value that is not valid Unicode before sending anything, naming the parameter', async () => {
    const error = await client()
      .request('listVirtualMachines', { keyword: 'web-\uD83D' })
      .catch((caught: unknown) => caught);
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toMatch(
      /Parameter "keyword" of CloudStack listVirtualMachines is not valid Unicode/,
    );
    expect(sim.control.count('listVirtualMachines')).toBe(0);
    // A complete surrogate pair (an emoji) is fine.
    await expect(
      client().request('listVirtualMachines', { keyword: 'web-\uD83D\uDE80' }),
    ).resolves.toBeDefined();
  });

  it('pages through a list until count items came', async () => {
    const listing = await client({ pageSize: 3 }).list('listVirtualMachines', {}, 'virtualmachine');
    expect(listing.items).toHaveLength(7);
    expect(listing.count).toBe(7);
    expect(sim.control.count('listVirtualMachines')).toBe(3);
  });

  it('adapts to a cloud whose default.page.size is below the configured page size', async () => {
    const adaptive = client({ pageSize: 500 });
    const listing = await adaptive.list('listVirtualMachines', {}, 'virtualmachine');
    expect(listing.items).toHaveLength(7);
    expect(adaptive.pageSize).toBe(4);
    // The refused first page, then two pages of four.
    expect(sim.control.count('listVirtualMachines')).toBe(3);
  });

  it('answers an empty list as no items', async () => {
    const listing = await client().list('listVirtualMachines', { name: 'nothing-matches' }, 'virtualmachine');
    expect(listing).toEqual({ items: [], count: 0 });
  });

  it("turns CloudStack's error envelope into a ConnectorError naming the command and the text", async () => {
    const error = await client()
      .request('listTemplates', { templatefilter: 'mine' })
      .catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as ConnectorError).message).toBe(
      'CloudStack listTemplates failed with error 431, cserrorcode 9999: Please specify a valid template filter.',
    );
    expect((error as ConnectorError).status).toBe(431);
  });

  it('sends POST requests as forms, the command also in the URL', async () => {
    const { value } = await client().request('listZones', { name: 'Zone-B' }, { method: 'POST' });
    expect(value.count).toBe(1);
    expect(sim.control.requests.at(-1)).toMatchObject({
      method: 'POST',
      operation: 'listZones',
      status: 200,
    });
  });

  it('signs each attempt afresh: a retried request carries a new expiry', async () => {
    const expiries: Array<string | null> = [];
    sim.control.failWithStatus(503, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        if (request.url.searchParams.get('command') !== 'listZones') return false;
        expiries.push(request.url.searchParams.get('expires'));
        return expiries.length === 1;
      },
    });
    let clock = Date.UTC(2030, 0, 1);
    const retrying = createHttpTransport({ retries: 1, backoffBaseMs: 1, backoffMaxMs: 1 });
    try {
      const signed = new CloudStackClient({
        http: retrying,
        endpoint: `${sim.url}${CLOUDSTACK_API_PATH}`,
        apiKey: sim.credentials.key,
        secretKey: sim.credentials.secret,
        signatureExpiryMs: 600_000,
        pageSize: 500,
        now: () => {
          clock += 60_000;
          return clock;
        },
      });
      expect((await signed.request('listZones')).value.count).toBe(2);
    } finally {
      sim.control.clearFaults();
      await retrying.close();
    }
    expect(expiries).toEqual(['2030-01-01T00:11:00+0000', '2030-01-01T00:12:00+0000']);
  });

  it('says when the endpoint is not a CloudStack API', async () => {
    const wrong = client({ endpoint: `${sim.url}/not-the-api` });
    const error = await wrong.request('listZones').catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CLOUD_ERROR')).toBe(true);
    expect((error as Error).message).toContain('is the endpoint the CloudStack API URL (…/client/api)?');
  });
});

describe('CloudStackClient signature expiry', () => {
  let sim: RunningSimulator;
  let http: HttpTransport;
  beforeAll(async () => {
    // The cloud's clock is a day ahead of ours: a ten-minute signature has expired on arrival.
    sim = await startCloudStack({ clock: new ManualClock(Date.now() + 86_400_000) });
    http = createHttpTransport({ retries: 0 });
  });
  afterAll(async () => {
    await http.close();
    await sim.close();
  });
  const client = (signatureExpiryMs: number): CloudStackClient =>
    new CloudStackClient({
      http,
      endpoint: `${sim.url}${CLOUDSTACK_API_PATH}`,
      apiKey: sim.credentials.key,
      secretKey: sim.credentials.secret,
      signatureExpiryMs,
      pageSize: 500,
    });

  it('signs with signatureVersion=3 and expires, which the cloud checks', async () => {
    const error = await client(600_000)
      .request('listZones')
      .catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'AUTH_FAILED')).toBe(true);
  });

  it('signs without an expiry when signature.expiry.s is 0', async () => {
    expect((await client(0).request('listZones')).value.count).toBe(2);
  });
});

describe('CloudStack lists: the pages after the first asked together, within max.iaas.workers', () => {
  // Every page is held back long enough that pages sent together surely overlap in the simulator
  // even on a loaded machine; the assertions read the simulator's log, never the clock.
  const LATENCY_MS = 400;
  let rig: Rig;
  let http: HttpTransport;
  /** The listVirtualMachines page number of each request, in the order they arrived. */
  let pagesAsked: number[];

  beforeAll(async () => {
    rig = await startRig({ parameters: { 'page.size': 2, 'max.iaas.workers': 3 } });
    rig.sim.control.cloud.seedVms(rig.accountId, 11, { zone: ZONE_A.id, image: UBUNTU.id, size: SMALL.id });
    http = createHttpTransport({ retries: 0 });
  });
  afterAll(async () => {
    await http.close();
    await rig.close();
  });
  beforeEach(() => {
    pagesAsked = [];
    rig.sim.control.clearRequests();
    rig.sim.control.addLatency(LATENCY_MS, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        if (request.operation !== 'listVirtualMachines') return false;
        pagesAsked.push(Number(request.url.searchParams.get('page')));
        return true;
      },
    });
  });
  afterEach(() => rig.sim.control.clearFaults());

  const listed = (): RequestRecord[] =>
    rig.sim.control.requests
      .filter((r) => r.operation === 'listVirtualMachines')
      .sort((a, b) => a.receivedAt - b.receivedAt);

  /** The VMs' ids in the cloud's order, in one page. */
  async function cloudOrder(): Promise<string[]> {
    const direct = new CloudStackClient({
      http,
      endpoint: `${rig.sim.url}${CLOUDSTACK_API_PATH}`,
      apiKey: rig.sim.credentials.key,
      secretKey: rig.sim.credentials.secret,
      signatureExpiryMs: 600_000,
      pageSize: 500,
    });
    const { value } = await direct.request('listVirtualMachines', { page: 1, pagesize: 500 });
    return (value.virtualmachine as Json[]).map((vm) => String(vm.id));
  }

  it('asks the first page alone, then the other five at most three at a time, and returns every VM once in order', async () => {
    const vms = await rig.session.describe();
    expect(pagesAsked.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const [first, ...rest] = listed();
    expect(first).toMatchObject({ inFlight: 1, status: 200 });
    for (const page of rest) expect(page.receivedAt).toBeGreaterThan(first?.answeredAt ?? 0);
    const overlap = Math.max(...rest.map((r) => r.inFlight));
    expect(overlap).toBe(3);
    rig.sim.control.clearFaults();
    const order = await cloudOrder();
    expect(order).toHaveLength(11);
    expect(vms.map((vm) => vm.id)).toEqual(order);
  });

  it('fails the list with the first failing page, cancelling the pages in flight and asking no more', async () => {
    // Page 3 fails at once while pages 2 and 4 are held back: they are cancelled, 5 and 6 never asked.
    rig.sim.control.clearFaults();
    rig.sim.control.failWithStatus(431, {
      message: 'Unable to execute API command listvirtualmachines due to a simulated failure',
      match: (request) =>
        request.operation === 'listVirtualMachines' && request.url.searchParams.get('page') === '3',
    });
    rig.sim.control.addLatency(LATENCY_MS, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        if (request.operation !== 'listVirtualMachines') return false;
        pagesAsked.push(Number(request.url.searchParams.get('page')));
        return request.url.searchParams.get('page') !== '3';
      },
    });
    const error = await rig.session.describe().catch((caught: unknown) => caught);
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toContain('simulated failure');
    expect(pagesAsked.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  });

  it('keeps every VM once when VMs are added while the pages are read', async () => {
    const added: string[] = [];
    rig.sim.control.clearFaults();
    rig.sim.control.addLatency(LATENCY_MS, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        if (request.operation !== 'listVirtualMachines') return false;
        const page = Number(request.url.searchParams.get('page'));
        pagesAsked.push(page);
        // The first answer counted 11; three more arrive as page 2 is asked.
        if (page === 2 && added.length === 0) {
          const seeded = rig.sim.control.cloud.seedVms(rig.accountId, 3, {
            zone: ZONE_A.id,
            image: UBUNTU.id,
            size: SMALL.id,
            namePrefix: 'late',
          });
          added.push(...seeded.map((vm) => vm.id));
        }
        return true;
      },
    });
    try {
      const vms = await rig.session.describe();
      // Pages 1–6 as planned from a count of 11, then page 7 for the 3 that came meanwhile.
      expect(pagesAsked.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      rig.sim.control.clearFaults();
      const order = await cloudOrder();
      expect(order).toHaveLength(14);
      expect(vms.map((vm) => vm.id)).toEqual(order);
      expect(order.slice(-3)).toEqual(added);
    } finally {
      for (const id of added) rig.sim.control.cloud.destroyVm(rig.accountId, id, true, 'test');
    }
  });
});

describe('CloudStack lookups by id: chunks of ids asked together, within max.iaas.workers', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ parameters: { 'max.iaas.workers': 2 } });
    // 120 VMs: three chunks of at most 50 ids.
    rig.sim.control.cloud.seedVms(rig.accountId, 120, { zone: ZONE_A.id, image: UBUNTU.id, size: SMALL.id });
  });
  afterAll(() => rig.close());

  it('asks the three chunks of 120 ids two at a time, and returns the VMs in the order asked', async () => {
    const ids = (await rig.session.describe()).map((vm) => vm.id).reverse();
    rig.sim.control.clearRequests();
    // Held back long enough that chunks sent together surely overlap, even on a loaded machine.
    rig.sim.control.addLatency(400, { times: Number.POSITIVE_INFINITY, match: 'listVirtualMachines' });
    try {
      const vms = await rig.session.describe({ ids });
      expect(vms.map((vm) => vm.id)).toEqual(ids);
      const chunks = rig.sim.control.requests.filter((r) => r.operation === 'listVirtualMachines');
      expect(chunks).toHaveLength(3);
      expect(Math.max(...chunks.map((r) => r.inFlight))).toBe(2);
    } finally {
      rig.sim.control.clearFaults();
    }
  });
});

describe('CloudStack list reader, on scripted pages', () => {
  /** A transport answering listTemplates pages from `pages` (page 1 first), as CloudStack would. */
  const scripted = (pages: readonly Json[][], count: number): HttpTransport => ({
    request: async (request) => {
      const page = Number(new URL(request.url).searchParams.get('page'));
      const body = JSON.stringify({ listtemplatesresponse: { count, template: pages[page - 1] ?? [] } });
      return {
        status: 200,
        headers: {},
        body,
        url: String(request.url),
        json: <T>() => JSON.parse(body) as T,
      };
    },
    close: async () => {},
  });
  const list = (pages: readonly Json[][], count: number) =>
    new CloudStackClient({
      http: scripted(pages, count),
      endpoint: 'http://127.0.0.1:9/client/api',
      apiKey: 'key',
      secretKey: 'secret',
      signatureExpiryMs: 600_000,
      pageSize: 3,
    }).list('listTemplates', { templatefilter: 'executable' }, 'template');

  it('keeps a template once per zone, whatever order the zones come in, and drops the repeat of an item', async () => {
    const t = (id: string, zoneid: string): Json => ({ id, zoneid });
    const { items } = await list(
      [
        [t('x', 'A'), t('x', 'B'), t('y', 'A')],
        // The list moved: page 2 starts with the last item of page 1 again.
        [t('y', 'A'), t('y', 'B'), t('x', 'A')],
      ],
      6,
    );
    expect(items).toEqual([t('x', 'A'), t('x', 'B'), t('y', 'A'), t('y', 'B')]);
  });
});
