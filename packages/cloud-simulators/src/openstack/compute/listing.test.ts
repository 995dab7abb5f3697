import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../model/clock.js';
import { OPENSTACK_FLAVORS, OPENSTACK_IMAGES } from '../catalog.js';
import { type RunningOpenStack, startOpenStack } from '../index.js';
import { send, TestSession } from '../test-client.js';

const CIRROS = OPENSTACK_IMAGES[0]?.id as string;

// Lists, pages, filters and microversions of Nova's read side.
describe('Nova listings', () => {
  let sim: RunningOpenStack;
  let os: TestSession;
  let seeded: string[];
  const clock = new ManualClock(Date.UTC(2026, 2, 1));

  beforeAll(async () => {
    sim = await startOpenStack({
      clock,
      maxLimit: 4,
      accounts: [{ key: 'lister', secret: 'lister-password' }],
    });
    os = await new TestSession(sim).login();
    const account = sim.control.cloud.accountByKey('lister')?.id as string;
    seeded = sim.control.cloud
      .seedVms(account, 7, { zone: 'nova', image: CIRROS, size: '1', namePrefix: 'node' })
      .map((vm) => vm.id);
  });
  afterAll(() => sim.close());

  const follow = async (path: string): Promise<{ ids: string[]; pages: number; nexts: string[] }> => {
    const ids: string[] = [];
    const nexts: string[] = [];
    let url: string | undefined = `${sim.computeUrl}${path}`;
    let pages = 0;
    while (url) {
      const answer = await os.compute(url.slice(sim.computeUrl.length));
      pages += 1;
      ids.push(...answer.body.servers.map((server: { id: string }) => server.id));
      url = answer.body.servers_links?.find((link: { rel: string }) => link.rel === 'next')?.href;
      if (url) nexts.push(url);
    }
    return { ids, pages, nexts };
  };

  it('pages newest first by max_limit, with a next link on every full page', async () => {
    const { ids, pages, nexts } = await follow('/servers/detail');
    // Seeded together, the servers are newest-first by creation order: the reverse of seeding.
    expect(ids).toEqual([...seeded].reverse());
    expect(pages).toBe(2);
    expect(nexts).toEqual([`${sim.computeUrl}/servers/detail?marker=${seeded[3]}`]);
  });

  it('honours limit and marker, keeping the other parameters in next links, and ends with an empty page', async () => {
    const { ids, pages, nexts } = await follow('/servers?name=%5Enode-%5B1-4%5D%24');
    expect(ids).toEqual(seeded.slice(0, 4).reverse());
    // Nova adds a next link whenever a page is full, so the last page here is empty.
    expect(pages).toBe(2);
    expect(nexts).toEqual([`${sim.computeUrl}/servers?marker=${seeded[0]}&name=%5Enode-%5B1-4%5D%24`]);
    // A limit above max_limit is capped to it.
    expect((await os.compute('/servers?limit=7')).body.servers).toHaveLength(4);
    const second = await os.compute(`/servers/detail?limit=2&marker=${seeded[6]}`);
    expect(second.body.servers.map((server: { id: string }) => server.id)).toEqual([seeded[5], seeded[4]]);
    const unknown = await os.compute('/servers/detail?marker=nope');
    expect(unknown.body).toEqual({ badRequest: { code: 400, message: 'marker [nope] not found' } });
    const bad = await os.compute('/servers/detail?limit=-1');
    expect(bad.body.badRequest.message).toBe(
      "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'",
    );
  });

  it('filters by name as a regular expression, by status and by flavor; drops what non-admins may not use', async () => {
    const names = async (query: string, version?: string) =>
      (await os.compute(`/servers/detail?${query}`, { version })).body.servers
        .map((server: { name: string }) => server.name)
        .sort();
    expect(await names('name=^node-[12]$')).toEqual(['node-1', 'node-2']);
    expect(await names('status=ACTIVE&limit=100')).toHaveLength(4);
    expect(await names('status=SHUTOFF')).toEqual([]);
    expect(await names('flavor=2')).toEqual([]);
    // metadata is no filter for a project member: dropped silently, before 2.75 and after.
    expect(await names('metadata=%7B%22a%22%3A%221%22%7D&limit=100')).toHaveLength(4);
    expect(await names('metadata=x&limit=100', '2.80')).toHaveLength(4);
    const invalid = await os.compute('/servers/detail?status=SLEEPING', { version: '2.38' });
    expect(invalid.body.badRequest.message).toBe('Invalid status value');
    expect((await os.compute('/servers/detail?status=SLEEPING')).body.servers).toEqual([]);
    const unknown = await os.compute('/servers/detail?colour=red', { version: '2.75' });
    expect(unknown.body.badRequest.message).toBe(
      "Additional properties are not allowed ('colour' was unexpected)",
    );
    expect((await os.compute('/servers/detail?colour=red', { version: '2.74' })).status).toBe(200);
    const regex = await os.compute('/servers/detail?name=(');
    expect(regex.body.badRequest.message).toBe(
      "Invalid input for query parameters name. Value: (. '(' is not a 'regex'",
    );
    const allTenants = await os.compute('/servers/detail?all_tenants=1');
    expect(allTenants.status).toBe(403);
  });

  it('shapes servers per microversion and answers the version used', async () => {
    const id = seeded[0] as string;
    const old = await os.compute(`/servers/${id}`);
    expect(old.headers.get('x-openstack-nova-api-version')).toBe('2.1');
    expect(old.body.server.flavor).toEqual({
      id: '1',
      links: [{ rel: 'bookmark', href: `${sim.url}/compute/flavors/1` }],
    });
    expect(old.body.server).not.toHaveProperty('locked');
    expect(old.body.server).not.toHaveProperty('description');
    const newer = await os.compute(`/servers/${id}`, { headers: { 'x-openstack-nova-api-version': '2.73' } });
    expect(newer.headers.get('openstack-api-version')).toBe('compute 2.73');
    expect(newer.headers.get('vary')).toContain('OpenStack-API-Version');
    expect(newer.body.server).toMatchObject({
      locked: false,
      locked_reason: null,
      description: null,
      tags: [],
      trusted_image_certificates: null,
      server_groups: [],
      flavor: { original_name: 'm1.tiny', vcpus: 1 },
    });
    expect(newer.body.server).not.toHaveProperty('OS-EXT-SRV-ATTR:hostname');
    const latest = await os.compute(`/servers/${id}`, { version: 'latest' });
    expect(latest.headers.get('openstack-api-version')).toBe('compute 2.93');
    expect(latest.body.server['OS-EXT-SRV-ATTR:hostname']).toBe('node-1');
    const detail = await os.compute('/servers/detail', { version: '2.93' });
    expect(detail.body.servers[0]).not.toHaveProperty('server_groups');
  });

  it('refuses versions it does not support with 406 and malformed ones with 400', async () => {
    const tooNew = await os.compute('/servers', { version: '2.200' });
    expect(tooNew.status).toBe(406);
    expect(tooNew.body).toEqual({
      computeFault: {
        code: 406,
        message: 'Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.93.',
      },
    });
    const malformed = await os.compute('/servers', { version: '2.x' });
    expect(malformed.body.badRequest.message).toBe(
      'API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.',
    );
    // Another service's version in the header is not Nova's business.
    const other = await os.compute('/servers', { headers: { 'openstack-api-version': 'volume 3.70' } });
    expect(other.headers.get('openstack-api-version')).toBe('compute 2.1');
  });

  it('serves the version documents without a token', async () => {
    const root = await os.compute('', { token: null });
    expect(root.status).toBe(200);
    const list = await send(`${sim.url}/compute/`);
    expect(list.status).toBe(200);
    expect(list.body.versions).toEqual([
      expect.objectContaining({ id: 'v2.1', status: 'CURRENT', version: '2.93', min_version: '2.1' }),
    ]);
    expect(root.body.version).toMatchObject({ id: 'v2.1', version: '2.93', min_version: '2.1' });
    expect(root.body.version.links[0]).toEqual({ rel: 'self', href: `${sim.computeUrl}/` });
  });

  it('lists flavors by id with paging, filters and per-version fields', async () => {
    const detail = await os.compute('/flavors/detail?limit=100');
    const next = await os.compute('/flavors/detail?marker=4');
    // Nova orders flavors by their id as a string.
    expect([...detail.body.flavors, ...next.body.flavors].map((flavor: { id: string }) => flavor.id)).toEqual(
      OPENSTACK_FLAVORS.map((flavor) => flavor.id).sort(),
    );
    expect(detail.body.flavors_links[0].href).toBe(`${sim.computeUrl}/flavors/detail?limit=100&marker=4`);
    expect(next.body).not.toHaveProperty('flavors_links');
    expect(detail.body.flavors[0]).toMatchObject({
      id: '1',
      name: 'm1.tiny',
      ram: 512,
      disk: 1,
      vcpus: 1,
      swap: '',
      'OS-FLV-EXT-DATA:ephemeral': 0,
      'os-flavor-access:is_public': true,
    });
    const v275 = (await os.compute('/flavors/detail', { version: '2.75' })).body;
    expect(v275.flavors[0]).toMatchObject({ swap: 0, extra_specs: {}, description: expect.any(String) });
    // maxLimit 4: a full first page links to the next.
    expect(v275.flavors_links[0].href).toBe(`${sim.computeUrl}/flavors/detail?marker=4`);
    expect(
      (await os.compute('/flavors?minRam=4096&limit=10')).body.flavors.map((f: { name: string }) => f.name),
    ).toEqual(['m1.medium', 'm1.large', 'm1.xlarge']);
    expect((await os.compute('/flavors?minRam=lots')).body.badRequest.message).toBe(
      'Invalid minRam filter [lots]',
    );
    expect((await os.compute('/flavors/2')).body.flavor.name).toBe('m1.small');
    expect((await os.compute('/flavors/2/os-extra_specs')).body).toEqual({ extra_specs: {} });
    expect((await os.compute('/flavors/77')).body.itemNotFound.message).toBe('Flavor 77 could not be found.');
  });

  it('lists availability zones without hosts', async () => {
    const zones = await os.compute('/os-availability-zone');
    expect(zones.body).toEqual({
      availabilityZoneInfo: [
        { zoneName: 'nova', zoneState: { available: true }, hosts: null },
        { zoneName: 'az-2', zoneState: { available: true }, hosts: null },
      ],
    });
  });
});
