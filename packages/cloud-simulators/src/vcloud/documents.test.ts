import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningVcloud, startVcloud } from './index.js';
import { instantiateParams, VcloudTestClient, type Xml } from './test-client.js';

/**
 * The documents a client walks to find where to instantiate (org, VDC, network, catalog, catalog
 * item, vApp template), a real-clock instantiate polled to the end, and the control's faults in
 * vCD's shapes.
 */

const ALICE = { key: 'alice', secret: 'alice-password' };

describe('vCD documents and faults', () => {
  let sim: RunningVcloud;
  let client: VcloudTestClient;

  beforeEach(async () => {
    sim = await startVcloud({
      accounts: [ALICE],
      org: 'acme',
      vdc: 'paris',
      network: 'lan-1',
      catalog: 'images',
      bootDelayMs: 50,
      haltDelayMs: 50,
    });
    client = new VcloudTestClient(sim.endpoint);
    await client.login('alice', 'acme', ALICE.secret);
  });
  afterEach(() => sim.close());

  it('walks org → VDC → network and catalog → item → template', async () => {
    expect([sim.org, sim.vdc, sim.network, sim.catalog]).toEqual(['acme', 'paris', 'lan-1', 'images']);
    const orgs = (await client.document('/api/org')).OrgList;
    expect(orgs.Org).toMatchObject({ name: 'acme', type: 'application/vnd.vmware.vcloud.org+xml' });
    const org = (await client.document(orgs.Org.href)).Org;
    expect(org.id).toMatch(/^urn:vcloud:org:/);
    const vdcLinks = org.Link.filter((link: Xml) => link.type === 'application/vnd.vmware.vcloud.vdc+xml');
    expect(vdcLinks.map((link: Xml) => link.name)).toEqual(['paris', 'vdc-2']);
    const vdc = (await client.document(vdcLinks[0].href)).Vdc;
    expect(vdc.name).toBe('paris');
    const instantiateLink = vdc.Link.find((link: Xml) => link.rel === 'add');
    expect(instantiateLink).toMatchObject({
      href: `${vdcLinks[0].href}/action/instantiateVAppTemplate`,
      type: 'application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml',
    });
    const available = vdc.AvailableNetworks.Network;
    expect(available.name).toBe('lan-1');
    const network = (await client.document(available.href)).OrgVdcNetwork;
    expect(network.Configuration).toMatchObject({ FenceMode: 'natRouted' });
    expect(vdc.ResourceEntities.ResourceEntity.map((entity: Xml) => entity.name)).toEqual(
      sim.templates.map((template) => template.name),
    );

    const catalogLink = org.Link.find(
      (link: Xml) => link.type === 'application/vnd.vmware.vcloud.catalog+xml',
    );
    const catalog = (await client.document(catalogLink.href)).Catalog;
    expect(catalog.name).toBe('images');
    const items = [catalog.CatalogItems.CatalogItem].flat();
    expect(items.map((item: Xml) => item.name)).toEqual(sim.templates.map((template) => template.name));
    const item = (await client.document(items[0].href)).CatalogItem;
    expect(item.Entity.href).toBe(sim.templates[0]?.href);
    const template = (await client.document(item.Entity.href)).VAppTemplate;
    expect(template).toMatchObject({ name: sim.templates[0]?.name, status: '8' });
    expect(template.Children.Vm.href).toMatch(/\/api\/vAppTemplate\/vm-/);
    expect((await client.get(template.Children.Vm.href)).status).toBe(200);
    expect(sim.control.count('getVAppTemplate')).toBe(2);
  });

  it('instantiates on the real clock: the task runs, then succeeds, and the vApp is POWERED_ON', async () => {
    const vdc = (await client.query({ type: 'orgVdc', filter: 'name==paris' })).OrgVdcRecord[0];
    const network = (await client.query({ type: 'orgVdcNetwork', filter: 'name==lan-1' }))
      .OrgVdcNetworkRecord[0];
    const templateHref = sim.templates[2]?.href as string;
    const templateVmHref = (await client.document(templateHref)).VAppTemplate.Children.Vm.href;
    const answer = await client.call('POST', `${vdc.href}/action/instantiateVAppTemplate`, {
      body: instantiateParams({
        name: 'polled',
        templateHref,
        templateVmHref,
        networkHref: network.href,
        networkName: network.name,
        ipMode: 'DHCP',
      }),
    });
    expect(answer.status).toBe(201);
    const task = await client.waitForTask(answer.xml.VApp.Tasks.Task[0].href, 60_000);
    expect(task.status).toBe('success');
    const vapp = await client.waitFor(
      answer.xml.VApp.href,
      (document) => document.VApp.status === '4',
      60_000,
    );
    // A DHCP lease shows once the VM runs.
    expect(vapp.VApp.Children.Vm.NetworkConnectionSection.NetworkConnection).toMatchObject({
      IpAddressAllocationMode: 'DHCP',
      IpAddress: expect.stringMatching(/^10\./),
    });
  });

  it('answers injected statuses and throttling with vCD’s Error, and truncates malformed bodies', async () => {
    sim.control.failWithStatus(503, { match: 'query:vm', message: 'The cell is restarting.' });
    const failed = await client.get('/api/query?type=vm');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toBe('application/vnd.vmware.vcloud.error+xml;version=38.0');
    expect(failed.xml.Error).toMatchObject({ majorErrorCode: '503', minorErrorCode: 'SERVICE_UNAVAILABLE' });
    expect(failed.xml.Error.message).toContain('The cell is restarting.');

    sim.control.rateLimit(3, { match: 'login' });
    const throttled = await client.login('alice', 'acme', ALICE.secret);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(JSON.parse(throttled.text)).toMatchObject({
      minorErrorCode: 'TOO_MANY_REQUESTS',
      stackTrace: null,
    });

    sim.control.malformBody({ match: 'query:vAppTemplate' });
    const broken = await fetch(`${sim.endpoint}/api/query?type=vAppTemplate`, {
      headers: { accept: 'application/*+xml;version=38.0', authorization: `Bearer ${client.token}` },
    });
    expect(broken.status).toBe(200);
    const text = await broken.text();
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).not.toContain('</QueryResultRecords>');
    expect((await client.query({ type: 'vAppTemplate' })).total).toBe(String(sim.templates.length));
  });
});
