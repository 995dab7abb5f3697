import { XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { type RunningVcloud, startVcloud } from './index.js';
import { type InstantiateSpec, instantiateParams, VcloudTestClient, type Xml } from './test-client.js';

/** Instantiate, tasks, power actions, undeploy, delete, and what vCD refuses, on a manual clock. */

const ALICE = { key: 'alice', secret: 'alice-password', vmLimit: 5 };
const BOB = { key: 'bob', secret: 'bob-password', vmLimit: 1 };
const BOOT = 9000;
const HALT = 6000;

const UNDEPLOY = (action = 'powerOff') =>
  `<UndeployVAppParams xmlns="http://www.vmware.com/vcloud/v1.5"><UndeployPowerAction>${action}</UndeployPowerAction></UndeployVAppParams>`;

describe('vCD vApps', () => {
  let sim: RunningVcloud;
  let clock: ManualClock;
  let alice: VcloudTestClient;
  let vdc: Xml;
  let network: Xml;
  let templateVm: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    sim = await startVcloud({ clock, bootDelayMs: BOOT, haltDelayMs: HALT, accounts: [ALICE, BOB] });
    alice = new VcloudTestClient(sim.endpoint);
    await alice.login('alice', 'slipstream', ALICE.secret);
    vdc = (await alice.query({ type: 'orgVdc', filter: 'name==vdc-1' })).OrgVdcRecord[0];
    network = (await alice.query({ type: 'orgVdcNetwork', filter: 'name==routed-1' })).OrgVdcNetworkRecord[0];
    templateVm = (await alice.document(sim.templates[0]?.href as string)).VAppTemplate.Children.Vm.href;
  });
  afterEach(() => sim.close());

  const spec = (overrides: Partial<InstantiateSpec> = {}): InstantiateSpec => ({
    name: 'web',
    templateHref: sim.templates[0]?.href as string,
    networkHref: network.href,
    networkName: network.name,
    templateVmHref: templateVm,
    computerName: 'web-1',
    ...overrides,
  });

  const instantiate = (overrides: Partial<InstantiateSpec> = {}, client = alice, target = vdc.href) =>
    client.call('POST', `${target}/action/instantiateVAppTemplate`, {
      body: instantiateParams(spec(overrides)),
      contentType: 'application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml',
    });

  /** Instantiates and lets the boot delay pass: a running vApp. */
  async function running(overrides: Partial<InstantiateSpec> = {}): Promise<string> {
    const answer = await instantiate(overrides);
    expect(answer.status, answer.text).toBe(201);
    clock.advance(BOOT);
    return answer.xml.VApp.href;
  }

  const task = async (answer: { status: number; text: string; xml: Xml }) => {
    expect(answer.status, answer.text).toBe(202);
    return answer.xml.Task[0];
  };

  it('instantiates: 201 with the UNRESOLVED vApp and its running task, then POWERED_ON with a pool address', async () => {
    const answer = await instantiate({
      description: 'built by <slipstream> & co',
      script: '#!/bin/sh\necho "ready" > /tmp/ready\n',
      cpus: 4,
      memoryMb: 8192,
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/vnd.vmware.vcloud.vApp+xml;version=38.0');
    const vapp = answer.xml.VApp;
    expect(answer.headers.get('location')).toBe(vapp.href);
    expect(vapp).toMatchObject({
      name: 'web',
      status: '0',
      deployed: 'false',
      Description: 'built by <slipstream> & co',
    });
    expect(vapp.id).toMatch(/^urn:vcloud:vapp:[0-9a-f-]{36}$/);
    expect(vapp.href).toMatch(/\/api\/vApp\/vapp-[0-9a-f-]{36}$/);
    const [creating] = vapp.Tasks.Task;
    expect(creating).toMatchObject({ status: 'running', operationName: 'vdcInstantiateVapp', name: 'task' });
    expect(creating.href).toMatch(/\/api\/task\/[0-9a-f-]{36}$/);
    expect(creating.Owner.href).toBe(vapp.href);
    expect(vapp.Children.Vm).toMatchObject({ name: 'web-1', status: '0' });

    const polled = (await alice.document(creating.href)).Task[0];
    expect(polled.status).toBe('running');
    expect((await alice.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord[0]).toMatchObject({
      status: 'UNRESOLVED',
      isBusy: 'true',
      taskStatusName: 'vdcInstantiateVapp',
    });
    // The task id also answers with vCD's task- prefix, as some clients write it.
    const id = (creating.href as string).split('/').pop();
    expect((await alice.get(`/api/task/task-${id}`)).status).toBe(200);

    clock.advance(BOOT);
    const done = (await alice.document(creating.href)).Task[0];
    expect(done).toMatchObject({ status: 'success', Progress: '100' });
    expect(done.endTime).toBeDefined();
    const now = (await alice.document(vapp.href)).VApp;
    expect(now).toMatchObject({ status: '4', deployed: 'true' });
    expect(now.Tasks).toBeUndefined();
    const vm = now.Children.Vm;
    expect(vm).toMatchObject({ status: '4', deployed: 'true' });
    expect(vm.NetworkConnectionSection.NetworkConnection).toMatchObject({
      network: 'routed-1',
      IpAddressAllocationMode: 'POOL',
      IpAddress: expect.stringMatching(/^10\./),
      IsConnected: 'true',
    });
    expect(vm.GuestCustomizationSection).toMatchObject({
      ComputerName: 'web-1',
      CustomizationScript: '#!/bin/sh\necho "ready" > /tmp/ready\n',
    });
    expect(vm.VmSpecSection).toMatchObject({ NumCpus: '4', MemoryResourceMb: { Configured: '8192' } });
    expect(now.Link.map((link: Xml) => link.rel)).toContain('power:powerOff');
    const record = (await alice.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord[0];
    expect(record).toMatchObject({
      status: 'POWERED_ON',
      numberOfCpus: '4',
      memoryMB: '8192',
      ipAddress: vm.NetworkConnectionSection.NetworkConnection.IpAddress,
    });
    // The model got the customization script as the VM's user data.
    const [modelVm] = sim.control.cloud.vms(sim.control.cloud.accountByKey('alice')?.id as string);
    expect(Buffer.from(modelVm?.userData ?? '', 'base64').toString()).toBe(
      '#!/bin/sh\necho "ready" > /tmp/ready\n',
    );
    expect(sim.control.count('instantiateVAppTemplate')).toBe(1);
    expect(sim.control.count('task')).toBe(3);
    expect(sim.control.count('getVApp')).toBe(1);
  });

  it('fails the instantiate task with an Error when the model’s operation fails: FAILED_CREATION', async () => {
    sim.control.failJobs(1, 'No host has room for the VM.');
    const answer = await instantiate();
    const creating = answer.xml.VApp.Tasks.Task[0];
    clock.advance(BOOT);
    const failed = (await alice.document(creating.href)).Task[0];
    expect(failed).toMatchObject({
      status: 'error',
      Details: 'No host has room for the VM.',
      Error: { majorErrorCode: '500', minorErrorCode: 'INTERNAL_SERVER_ERROR' },
    });
    expect(failed.Error.message).toContain('No host has room for the VM.');
    const vapp = (await alice.document(answer.xml.VApp.href)).VApp;
    expect(vapp.status).toBe('-1');
    expect((await alice.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord[0].status).toBe(
      'FAILED_CREATION',
    );
    // A failed vApp can be deleted.
    await task(await alice.call('DELETE', vapp.href));
    clock.advance(HALT);
    expect((await alice.get(vapp.href)).status).toBe(403);
  });

  it('puts the instantiate task in its answer even when it has ended before the answer is written', async () => {
    // No boot delay: the model's operation is over (failed) before the answer is rendered, as after
    // a long pause on a loaded machine. vCD writes the answer as it queues the task, so it is there.
    const quick = await startVcloud({ clock, bootDelayMs: 0, haltDelayMs: HALT, accounts: [ALICE] });
    try {
      const client = new VcloudTestClient(quick.endpoint);
      await client.login('alice', 'slipstream', ALICE.secret);
      const target = (await client.query({ type: 'orgVdc', filter: 'name==vdc-1' })).OrgVdcRecord[0];
      const net = (await client.query({ type: 'orgVdcNetwork', filter: 'name==routed-1' }))
        .OrgVdcNetworkRecord[0];
      const vm = (await client.document(quick.templates[0]?.href as string)).VAppTemplate.Children.Vm.href;
      quick.control.failJobs(1, 'No host has room for the VM.');
      const answer = await client.call('POST', `${target.href}/action/instantiateVAppTemplate`, {
        body: instantiateParams({
          ...spec({ networkHref: net.href, networkName: net.name, templateVmHref: vm }),
          templateHref: quick.templates[0]?.href as string,
        }),
        contentType: 'application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml',
      });
      expect(answer.status, answer.text).toBe(201);
      expect(answer.xml.VApp.Tasks.Task[0]).toMatchObject({
        status: 'error',
        operationName: 'vdcInstantiateVapp',
      });
    } finally {
      await quick.close();
    }
  });

  it('undeploys, powers on and deletes over time, and refuses actions the state does not allow', async () => {
    const href = await running();
    const name = 'web';
    // Wrong states.
    const on = await alice.call('POST', `${href}/power/action/powerOn`);
    expect(on.status).toBe(400);
    expect(on.xml.Error).toMatchObject({ majorErrorCode: '400', minorErrorCode: 'BAD_REQUEST' });
    expect(on.xml.Error.message).toContain(`could not be executed since vApp "${name}" is not powered off.`);
    const deleting = await alice.call('DELETE', href);
    expect(deleting.status).toBe(400);
    expect(deleting.xml.Error.message).toContain(`on vApp "${name}". Stop the vApp and try again.`);

    const stopping = await task(await alice.call('POST', `${href}/action/undeploy`, { body: UNDEPLOY() }));
    expect(stopping).toMatchObject({ status: 'running', operationName: 'vappUndeployPowerOff' });
    const during = (await alice.document(href)).VApp;
    expect(during.status).toBe('4');
    expect(during.Tasks.Task[0].href).toBe(stopping.href);
    // Busy while the task runs.
    const busy = await alice.call('POST', `${href}/power/action/powerOn`);
    expect(busy.status).toBe(400);
    expect(busy.xml.Error.minorErrorCode).toBe('BUSY_ENTITY');
    clock.advance(HALT);
    expect((await alice.document(stopping.href)).Task[0].status).toBe('success');
    expect((await alice.document(href)).VApp).toMatchObject({ status: '8', deployed: 'false' });
    expect((await alice.query({ type: 'vApp' })).VAppRecord[0]).toMatchObject({
      status: 'POWERED_OFF',
      isDeployed: 'false',
    });
    const again = await alice.call('POST', `${href}/action/undeploy`, { body: UNDEPLOY() });
    expect(again.status).toBe(400);
    expect(again.xml.Error.message).toContain('is not running.');

    const starting = await task(await alice.call('POST', `${href}/power/action/powerOn`));
    expect(starting.operationName).toBe('vappDeploy');
    expect((await alice.document(href)).VApp.status).toBe('8');
    clock.advance(BOOT);
    expect((await alice.document(href)).VApp).toMatchObject({ status: '4', deployed: 'true' });

    await task(await alice.call('POST', `${href}/action/undeploy`, { body: UNDEPLOY() }));
    clock.advance(HALT);
    const removal = await task(await alice.call('DELETE', href));
    expect(removal).toMatchObject({ status: 'running', operationName: 'vdcDeleteVapp' });
    expect((await alice.get(href)).status).toBe(200);
    clock.advance(HALT);
    expect((await alice.document(removal.href)).Task[0].status).toBe('success');
    const gone = await alice.get(href);
    expect(gone.status).toBe(403);
    expect(gone.xml.Error).toMatchObject({
      majorErrorCode: '403',
      minorErrorCode: 'ACCESS_TO_RESOURCE_IS_FORBIDDEN',
    });
    expect(gone.xml.Error.message).toMatch(
      /The VMware Cloud Director entity com\.vmware\.vcloud\.entity\.vapp:[0-9a-f-]{36} does not exist\.$/,
    );
    expect((await alice.query({ type: 'vApp' })).total).toBe('0');
    expect(sim.control.count('powerOn')).toBe(3);
    expect(sim.control.count('undeploy')).toBe(3);
    expect(sim.control.count('deleteVApp')).toBe(2);
  });

  it('keeps a vApp instantiated with powerOn="false" powered off and undeployed until it is powered on', async () => {
    const href = await running({ powerOn: false });
    expect((await alice.document(href)).VApp).toMatchObject({ status: '8', deployed: 'false' });
    expect((await alice.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord[0].status).toBe(
      'POWERED_OFF',
    );
    const starting = await task(await alice.call('POST', `${href}/power/action/powerOn`));
    expect((await alice.document(href)).VApp.status).toBe('8');
    clock.advance(BOOT);
    expect((await alice.document(starting.href)).Task[0].status).toBe('success');
    expect((await alice.document(href)).VApp).toMatchObject({ status: '4', deployed: 'true' });
  });

  it('leaves a vApp deployed after power/action/powerOff: deleting it needs an undeploy first', async () => {
    const href = await running();
    const off = await task(await alice.call('POST', `${href}/power/action/powerOff`));
    expect(off.operationName).toBe('vappPowerOff');
    clock.advance(HALT);
    expect((await alice.document(href)).VApp).toMatchObject({ status: '8', deployed: 'true' });
    expect((await alice.call('DELETE', href)).status).toBe(400);
    const undeploy = await task(
      await alice.call('POST', `${href}/action/undeploy`, { body: UNDEPLOY('default') }),
    );
    expect(undeploy.status).toBe('success');
    expect((await alice.document(href)).VApp.deployed).toBe('false');
    await task(await alice.call('DELETE', href));
  });

  it('suspends (SUSPENDED, still deployed), resumes with deploy, and reboots without leaving POWERED_ON', async () => {
    const href = await running();
    const suspend = await task(await alice.call('POST', `${href}/power/action/suspend`));
    expect(suspend.operationName).toBe('vappSuspend');
    clock.advance(HALT);
    expect((await alice.document(href)).VApp).toMatchObject({ status: '3', deployed: 'true' });
    expect((await alice.query({ type: 'vApp' })).VAppRecord[0].status).toBe('SUSPENDED');
    const deploy = await task(
      await alice.call('POST', `${href}/action/deploy`, {
        body: '<DeployVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" powerOn="true"/>',
      }),
    );
    expect(deploy.operationName).toBe('vappDeploy');
    clock.advance(BOOT);
    expect((await alice.document(href)).VApp).toMatchObject({ status: '4', deployed: 'true' });
    const reboot = await task(await alice.call('POST', `${href}/power/action/reboot`));
    expect((await alice.document(href)).VApp.status).toBe('4');
    clock.advance(BOOT);
    expect((await alice.document(reboot.href)).Task[0].status).toBe('success');
    expect(sim.control.count('suspend')).toBe(1);
    expect(sim.control.count('deploy')).toBe(1);
    expect(sim.control.count('reboot')).toBe(1);
  });

  it('answers the VM on its own and takes power actions on it', async () => {
    const href = await running();
    const vmHref = (await alice.document(href)).VApp.Children.Vm.href;
    const answer = await alice.get(vmHref);
    expect(answer.headers.get('content-type')).toBe('application/vnd.vmware.vcloud.vm+xml;version=38.0');
    expect(answer.text).toMatch(
      /^<\?xml[^>]*>\n<Vm xmlns="http:\/\/www\.vmware\.com\/vcloud\/v1\.5" xmlns:ovf=/,
    );
    expect(answer.xml.Vm).toMatchObject({ name: 'web-1', status: '4' });
    const off = await task(await alice.call('POST', `${vmHref}/action/undeploy`, { body: UNDEPLOY() }));
    expect(off.Owner.href).toBe(vmHref);
    expect(off.operation).toContain('Virtual Machine web-1');
    clock.advance(HALT);
    expect((await alice.document(vmHref)).Vm.status).toBe('8');
    const wrong = await alice.call('POST', `${vmHref}/power/action/powerOff`);
    expect(wrong.xml.Error.message).toContain('since VM "web-1" is not powered on.');
  });

  it('refuses unknown templates, networks and VDCs, bad bodies and duplicate names as vCD does', async () => {
    const template = sim.templates[0]?.href as string;
    const unknown = await instantiate({
      templateHref: template.replace(/[0-9a-f]{8}-/, '00000000-'),
      templateVmHref: undefined,
    });
    expect(unknown.status).toBe(403);
    expect(unknown.xml.Error.message).toContain('com.vmware.vcloud.entity.vappTemplate:');
    const notTemplate = await instantiate({ templateHref: vdc.href, templateVmHref: undefined });
    expect(notTemplate.status).toBe(400);
    const noNetwork = await instantiate({ networkHref: network.href.replace(/[0-9a-f]{8}-/, '00000000-') });
    expect(noNetwork.status).toBe(403);
    const second = (await alice.query({ type: 'orgVdcNetwork', filter: 'name==isolated-2' }))
      .OrgVdcNetworkRecord[0];
    const otherVdcNetwork = await instantiate({ networkHref: second.href });
    expect(otherVdcNetwork.status).toBe(400);
    expect(otherVdcNetwork.xml.Error.message).toContain('is not available in VDC "vdc-1"');
    const noVdc = await instantiate({}, alice, vdc.href.replace(/[0-9a-f]{8}-/, '00000000-'));
    expect(noVdc.status).toBe(403);
    for (const body of [
      'not xml',
      '<Other xmlns="http://www.vmware.com/vcloud/v1.5"/>',
      '<InstantiateVAppTemplateParams',
    ]) {
      const bad = await alice.call('POST', `${vdc.href}/action/instantiateVAppTemplate`, { body });
      expect(bad.status, body).toBe(400);
      expect(bad.xml.Error.minorErrorCode).toBe('BAD_REQUEST');
    }
    const badMode = await instantiate({ ipMode: 'STATIC' });
    expect(badMode.status).toBe(400);
    expect((await instantiate({ name: '' })).status).toBe(400);

    expect((await instantiate()).status).toBe(201);
    const duplicate = await instantiate();
    expect(duplicate.status).toBe(400);
    expect(duplicate.xml.Error).toMatchObject({ majorErrorCode: '400', minorErrorCode: 'DUPLICATE_NAME' });
    expect(duplicate.xml.Error.message).toContain('web already exists');
    // The same name in the other VDC is another vApp.
    const secondVdc = (await alice.query({ type: 'orgVdc', filter: 'name==vdc-2' })).OrgVdcRecord[0];
    const elsewhere = await instantiate(
      { networkHref: second.href, networkName: second.name },
      alice,
      secondVdc.href,
    );
    expect(elsewhere.status).toBe(201);
  });

  it('refuses an instantiate past the user’s VM quota', async () => {
    const bob = new VcloudTestClient(sim.endpoint);
    await bob.login('bob', 'slipstream', BOB.secret);
    expect((await instantiate({ name: 'one' }, bob)).status).toBe(201);
    const refused = await instantiate({ name: 'two' }, bob);
    expect(refused.status).toBe(400);
    expect(refused.xml.Error.minorErrorCode).toBe('BAD_REQUEST');
    expect(refused.xml.Error.message).toMatch(/quota/);
    expect(refused.xml.Error.message).toContain('bob');
  });

  it("refuses another user's vApp, VM and task with 403 No access", async () => {
    const href = await running();
    const creating = (await alice.query({ type: 'vApp' })).VAppRecord[0].task;
    const vmHref = (await alice.document(href)).VApp.Children.Vm.href;
    const bob = new VcloudTestClient(sim.endpoint);
    await bob.login('bob', 'slipstream', BOB.secret);
    for (const [method, target] of [
      ['GET', href],
      ['GET', vmHref],
      ['GET', creating],
      ['POST', `${href}/power/action/powerOff`],
      ['DELETE', href],
      ['GET', `${href}/metadata`],
    ] as const) {
      const answer = await bob.call(method, target);
      expect(answer.status, `${method} ${target}`).toBe(403);
      expect(answer.xml.Error.minorErrorCode).toBe('ACCESS_TO_RESOURCE_IS_FORBIDDEN');
      expect(answer.xml.Error.message).toContain('No access to entity');
    }
    expect((await bob.query({ type: 'vApp' })).total).toBe('0');
  });

  it('writes hostile names, descriptions and scripts as well-formed XML that reads back the same', async () => {
    const name = `a<b>&"c'\u00e9\u{1F600}]]>`;
    // A literal CR LF would reach any XML parser as LF; the line break and tab survive.
    const description = '</Description><Injected/> & "quotes" \n and tabs\t';
    const script = '#!/bin/sh\ncat <<EOF\n</CustomizationScript><x/>\nEOF\n';
    const answer = await instantiate({ name, description, script });
    expect(answer.status, answer.text).toBe(201);
    expect(XMLValidator.validate(answer.text)).toBe(true);
    clock.advance(BOOT);
    const document = await alice.get(answer.xml.VApp.href);
    expect(XMLValidator.validate(document.text)).toBe(true);
    expect(document.xml.VApp.name).toBe(name);
    expect(document.xml.VApp.Description).toBe(description);
    expect(document.xml.VApp.Children.Vm.GuestCustomizationSection.CustomizationScript).toBe(script);
    expect(document.text).not.toContain('<Injected/>');
    const records = await alice.get('/api/query?type=vApp');
    expect(XMLValidator.validate(records.text)).toBe(true);
    expect(records.xml.QueryResultRecords.VAppRecord[0].name).toBe(name);
    const byName = await alice.query({ type: 'vApp', filter: `name==${name.replace(/[;,()]/g, '*')}` });
    expect(byName.total).toBe('1');
  });

  it('reads instantiate params with prefixed elements and OVF hardware items', async () => {
    const body = `<?xml version="1.0"?>
<vc:InstantiateVAppTemplateParams xmlns:vc="http://www.vmware.com/vcloud/v1.5" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" name="prefixed">
  <vc:InstantiationParams><vc:NetworkConfigSection><ovf:Info/><vc:NetworkConfig networkName="lan">
    <vc:Configuration><vc:ParentNetwork href="${network.href}"/><vc:FenceMode>bridged</vc:FenceMode></vc:Configuration>
  </vc:NetworkConfig></vc:NetworkConfigSection></vc:InstantiationParams>
  <vc:Source href="${sim.templates[1]?.href}"/>
  <vc:SourcedItem><vc:Source href="${sim.templates[1]?.href}"/><vc:InstantiationParams>
    <vc:NetworkConnectionSection><ovf:Info/><vc:NetworkConnection network="lan"><vc:NetworkConnectionIndex>0</vc:NetworkConnectionIndex>
      <vc:IpAddress>10.1.2.3</vc:IpAddress><vc:IpAddressAllocationMode>MANUAL</vc:IpAddressAllocationMode></vc:NetworkConnection></vc:NetworkConnectionSection>
    <ovf:VirtualHardwareSection><ovf:Info/>
      <ovf:Item><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>8</rasd:VirtualQuantity></ovf:Item>
      <ovf:Item><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>16384</rasd:VirtualQuantity></ovf:Item>
    </ovf:VirtualHardwareSection>
  </vc:InstantiationParams></vc:SourcedItem>
  <vc:AllEULAsAccepted>true</vc:AllEULAsAccepted>
</vc:InstantiateVAppTemplateParams>`;
    const answer = await alice.call('POST', `${vdc.href}/action/instantiateVAppTemplate`, { body });
    expect(answer.status, answer.text).toBe(201);
    clock.advance(BOOT);
    const record = (await alice.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord[0];
    expect(record).toMatchObject({
      containerName: 'prefixed',
      numberOfCpus: '8',
      memoryMB: '16384',
      ipAddress: '10.1.2.3',
      // The vApp network, as the request named it, bridged to the org VDC network.
      networkName: 'lan',
      // Without VmGeneralParams the VM keeps the template VM's name.
      name: 'debian-12',
    });
    const config = (await alice.document(record.container)).VApp.NetworkConfigSection.NetworkConfig;
    expect(config.networkName).toBe('lan');
    expect(config.Configuration.ParentNetwork).toMatchObject({ name: 'routed-1', href: network.href });
  });
});
