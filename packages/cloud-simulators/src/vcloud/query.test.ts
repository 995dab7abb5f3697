import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningVcloud, startVcloud } from './index.js';
import { instantiateParams, VcloudTestClient, type Xml } from './test-client.js';

/** The query service: types, paging with the capped page size, filters, sorting, formats. */

const ALICE = { key: 'alice', secret: 'alice-password', vmLimit: 2000 };
const BOB = { key: 'bob', secret: 'bob-password' };

describe('the vCD query service', () => {
  let sim: RunningVcloud;
  let client: VcloudTestClient;
  let aliceId: string;

  beforeEach(async () => {
    sim = await startVcloud({ accounts: [ALICE, BOB], bootDelayMs: 20, haltDelayMs: 20, maxPageSize: 128 });
    client = new VcloudTestClient(sim.endpoint);
    await client.login('alice', 'slipstream', ALICE.secret);
    aliceId = sim.control.cloud.accountByKey('alice')?.id as string;
  });
  afterEach(() => sim.close());

  const seed = (count: number, namePrefix = 'seed', key = 'alice') => {
    const account = sim.control.cloud.accountByKey(key)?.id as string;
    return sim.control.cloud.seedVms(account, count, {
      zone: 'pvdc-1',
      image: 'ubuntu-24.04',
      size: 'template-default',
      namePrefix,
    });
  };

  it('lists seeded VMs, each in a one-VM vApp, over pages of the capped size with vCD’s links', async () => {
    seed(300);
    const first = await client.query({
      type: 'vm',
      format: 'records',
      pageSize: 500,
      filter: 'isVAppTemplate==false',
    });
    expect(first.total).toBe('300');
    expect(first.pageSize).toBe('128');
    expect(first.page).toBe('1');
    expect(first.name).toBe('vm');
    expect(first.type).toBe('application/vnd.vmware.vcloud.query.records+xml');
    expect(first.VMRecord).toHaveLength(128);
    const rels = first.Link.map((link: Xml) => link.rel);
    expect(rels).toEqual(['nextPage', 'lastPage', 'alternate', 'alternate']);
    const next = first.Link.find((link: Xml) => link.rel === 'nextPage');
    expect(next.href).toBe(
      `${sim.endpoint}/api/query?type=vm&page=2&pageSize=128&format=records&filter=isVAppTemplate==false`,
    );
    expect(first.Link.find((link: Xml) => link.rel === 'lastPage').href).toContain('page=3&');

    const seen = new Set<string>();
    let page: Xml = first;
    for (;;) {
      for (const record of page.VMRecord ?? []) seen.add(record.href);
      const nextLink = page.Link.find((link: Xml) => link.rel === 'nextPage');
      if (!nextLink) break;
      page = (await client.document(nextLink.href)).QueryResultRecords;
    }
    expect(seen.size).toBe(300);
    expect(page.page).toBe('3');
    expect(page.VMRecord).toHaveLength(44);
    expect(page.Link.map((link: Xml) => link.rel)).toEqual([
      'firstPage',
      'previousPage',
      'alternate',
      'alternate',
    ]);

    const vm = first.VMRecord[0];
    expect(vm).toMatchObject({
      name: 'seed-1',
      containerName: 'seed-1',
      status: 'POWERED_ON',
      isVAppTemplate: 'false',
      isDeployed: 'true',
      isBusy: 'false',
      numberOfCpus: '2',
      memoryMB: '4096',
      ipAddress: expect.stringMatching(/^10\./),
      networkName: 'routed-1',
      vdcName: 'vdc-1',
      guestOs: 'Ubuntu Linux (64-bit)',
      ownerName: 'alice',
    });
    expect(vm.href).toMatch(new RegExp(`^${sim.endpoint}/api/vApp/vm-[0-9a-f-]{36}$`));
    expect(vm.container).toMatch(/\/api\/vApp\/vapp-[0-9a-f-]{36}$/);
    // The vApp the record points to has the VM inside.
    const vapp = (await client.document(vm.container)).VApp;
    expect(vapp.status).toBe('4');
    expect(vapp.Children.Vm.href).toBe(vm.href);
    expect(sim.control.count('query:vm')).toBe(3);
  });

  it('uses 25 per page by default and writes attributes in alphabetical order', async () => {
    seed(30);
    const page = await client.query({ type: 'vm', filter: 'isVAppTemplate==false' });
    expect(page.pageSize).toBe('25');
    expect(page.VMRecord).toHaveLength(25);
    const raw = (await client.get('/api/query?type=vm&pageSize=1&filter=isVAppTemplate==false')).text;
    const attributes = [...(/<VMRecord ([^>]*)\/>/.exec(raw)?.[1] ?? '').matchAll(/(\w+)="/g)].map(
      (m) => m[1],
    );
    expect(attributes).toEqual([...attributes].sort());
  });

  it('returns the templates’ own VMs in an unfiltered vm query, and not with isVAppTemplate==false', async () => {
    seed(2);
    const all = await client.query({ type: 'vm' });
    expect(all.total).toBe(String(2 + sim.templates.length));
    const templateVms = all.VMRecord.filter((record: Xml) => record.isVAppTemplate === 'true');
    expect(templateVms).toHaveLength(sim.templates.length);
    expect(templateVms[0]).toMatchObject({
      catalogName: 'slipstream-catalog',
      status: 'POWERED_OFF',
      isDeployed: 'false',
      container: sim.templates[0]?.href,
      containerName: sim.templates[0]?.name,
    });
    expect(templateVms[0].href).toMatch(/\/api\/vAppTemplate\/vm-/);
    const mine = await client.query({ type: 'vm', filter: 'isVAppTemplate==false' });
    expect(mine.total).toBe('2');
    expect((await client.query({ type: 'vm', filter: 'isVAppTemplate==true' })).total).toBe(
      String(sim.templates.length),
    );
  });

  it('lists vApp templates, the org VDCs, their networks and the catalog', async () => {
    const templates = await client.query({ type: 'vAppTemplate' });
    expect(templates.VAppTemplateRecord.map((record: Xml) => record.name)).toEqual(
      sim.templates.map((t) => t.name),
    );
    expect(templates.VAppTemplateRecord[0]).toMatchObject({
      href: sim.templates[0]?.href,
      catalogName: 'slipstream-catalog',
      status: 'RESOLVED',
      vdcName: 'vdc-1',
      numberOfCpus: '2',
      memoryAllocationMB: '4096',
    });
    expect(sim.templates[0]?.id).toMatch(/^vappTemplate-[0-9a-f-]{36}$/);
    const byCatalog = await client.query({ type: 'vAppTemplate', filter: 'catalogName==slipstream-catalog' });
    expect(byCatalog.total).toBe(String(sim.templates.length));
    expect((await client.query({ type: 'vAppTemplate', filter: 'catalogName==other' })).total).toBe('0');
    expect(
      (await client.query({ type: 'vAppTemplate', filter: `name==${sim.templates[1]?.name}` }))
        .VAppTemplateRecord[0].href,
    ).toBe(sim.templates[1]?.href);

    const vdcs = await client.query({ type: 'orgVdc' });
    expect(vdcs.OrgVdcRecord.map((record: Xml) => record.name)).toEqual(['vdc-1', 'vdc-2']);
    expect(vdcs.OrgVdcRecord[0]).toMatchObject({ orgName: 'slipstream', isEnabled: 'true', status: 'READY' });
    const networks = await client.query({
      type: 'orgVdcNetwork',
      filter: `vdc==${vdcs.OrgVdcRecord[0].href}`,
    });
    expect(networks.OrgVdcNetworkRecord).toEqual([
      expect.objectContaining({ name: 'routed-1', linkType: '1' }),
    ]);
    const catalogs = await client.query({ type: 'catalog' });
    expect(catalogs.CatalogRecord[0]).toMatchObject({
      name: 'slipstream-catalog',
      numberOfVAppTemplates: String(sim.templates.length),
    });
  });

  it('filters by VDC (href, URN or uuid), name with wildcards, and sorts', async () => {
    seed(3, 'web');
    const vdcs = (await client.query({ type: 'orgVdc' })).OrgVdcRecord;
    const [first, second] = vdcs;
    const networks = (await client.query({ type: 'orgVdcNetwork' })).OrgVdcNetworkRecord;
    const secondNetwork = networks.find((network: Xml) => network.vdcName === 'vdc-2');
    // One vApp in the second VDC.
    const created = await client.call('POST', `${second.href}/action/instantiateVAppTemplate`, {
      body: instantiateParams({
        name: 'in-second',
        templateHref: sim.templates[0]?.href as string,
        networkHref: secondNetwork.href,
        networkName: secondNetwork.name,
      }),
    });
    expect(created.status).toBe(201);
    const inFirst = await client.query({ type: 'vm', filter: `isVAppTemplate==false;vdc==${first.href}` });
    expect(inFirst.total).toBe('3');
    const uuid = (second.href as string).split('/').pop();
    for (const reference of [second.href, `urn:vcloud:vdc:${uuid}`, uuid]) {
      const inSecond = await client.query({ type: 'vm', filter: `isVAppTemplate==false;vdc==${reference}` });
      expect(inSecond.total).toBe('1');
      expect(inSecond.VMRecord[0].containerName).toBe('in-second');
    }
    const vapps = await client.query({ type: 'vApp', filter: `vdc==${second.href}` });
    expect(vapps.VAppRecord.map((record: Xml) => record.name)).toEqual(['in-second']);

    const named = await client.query({ type: 'vm', filter: 'name==web-2' });
    expect(named.VMRecord.map((record: Xml) => record.name)).toEqual(['web-2']);
    const wildcard = await client.query({ type: 'vApp', filter: 'name==web*', sortDesc: 'name' });
    expect(wildcard.VAppRecord.map((record: Xml) => record.name)).toEqual(['web-3', 'web-2', 'web-1']);
    const sorted = await client.query({ type: 'vApp', sortAsc: 'name' });
    expect(sorted.VAppRecord.map((record: Xml) => record.name)).toEqual([
      'in-second',
      'web-1',
      'web-2',
      'web-3',
    ]);
  });

  it('shows each user only their own vApps and VMs', async () => {
    seed(2, 'alice-vm');
    seed(3, 'bob-vm', 'bob');
    expect((await client.query({ type: 'vm', filter: 'isVAppTemplate==false' })).total).toBe('2');
    const bob = new VcloudTestClient(sim.endpoint);
    await bob.login('bob', 'slipstream', BOB.secret);
    const bobs = await bob.query({ type: 'vApp' });
    expect(bobs.VAppRecord.map((record: Xml) => record.name)).toEqual(['bob-vm-1', 'bob-vm-2', 'bob-vm-3']);
    expect(aliceId).toBeDefined();
  });

  it('answers idrecords with URNs and references, and refuses bad parameters with 400', async () => {
    seed(1);
    const ids = await client.document('/api/query?type=vApp&format=idrecords');
    const record = ids.QueryResultRecords.VAppRecord[0];
    expect(record.id).toMatch(/^urn:vcloud:vapp:/);
    expect(record.vdc).toMatch(/^urn:vcloud:vdc:/);
    expect(ids.QueryResultRecords.type).toBe('application/vnd.vmware.vcloud.query.idrecords+xml');
    const references = await client.document('/api/query?type=vApp&format=references');
    expect(references.QueryResultReferences.VAppReference).toMatchObject({
      name: 'seed-1',
      type: 'application/vnd.vmware.vcloud.vApp+xml',
    });
    const fields = await client.query({ type: 'vm', fields: 'name,status', filter: 'isVAppTemplate==false' });
    expect(Object.keys(fields.VMRecord[0]).sort()).toEqual(['href', 'name', 'status']);

    for (const query of [
      'type=nothing',
      'type=vm&filter=bogus==1',
      'type=vm&filter=name',
      'type=vm&pageSize=0',
      'type=vm&page=x',
      'type=vm&format=json',
      'type=vm&sortAsc=nope',
    ]) {
      const answer = await client.get(`/api/query?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.xml.Error).toMatchObject({ majorErrorCode: '400', minorErrorCode: 'BAD_REQUEST' });
    }
    // Without a type: the list of query types.
    const list = await client.document('/api/query');
    expect(list.QueryList.Link.some((link: Xml) => link.name === 'vm')).toBe(true);
  });

  it('gives VM records an ipAddress from API 38.0 only; before, the address is in the vApp document alone', async () => {
    seed(2);
    const current = (await client.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord;
    for (const record of current) expect(record.ipAddress).toMatch(/^10\./);
    const older = new VcloudTestClient(sim.endpoint, '37.2');
    await older.login('alice', 'slipstream', ALICE.secret);
    const records = (await older.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord;
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).not.toHaveProperty('ipAddress');
      const vapp = (await older.document(record.container)).VApp;
      const address = vapp.Children.Vm.NetworkConnectionSection.NetworkConnection.IpAddress;
      expect(address).toMatch(/^10\./);
      expect(current.find((vm: Xml) => vm.href === record.href)?.ipAddress).toBe(address);
    }
  });

  it('answers a page past the last with no records and the total', async () => {
    seed(3);
    const page = await client.query({ type: 'vApp', page: 5, pageSize: 2 });
    expect(page.total).toBe('3');
    expect(page.VAppRecord).toBeUndefined();
    expect(page.Link.map((link: Xml) => link.rel)).toContain('previousPage');
  });
});
