import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import type { RunningSimulator } from '../server/simulator.js';
import { CLOUDSTACK_OFFERINGS, CLOUDSTACK_TEMPLATES, CLOUDSTACK_ZONES } from './catalog.js';
import { CLOUDSTACK_API_PATH } from './frontend.js';
import { startCloudStack } from './index.js';
import { callCloudStack } from './test-client.js';

const [ZONE_A, ZONE_B] = CLOUDSTACK_ZONES as [(typeof CLOUDSTACK_ZONES)[0], (typeof CLOUDSTACK_ZONES)[0]];
const [UBUNTU] = CLOUDSTACK_TEMPLATES;
const USER_TEMPLATE = CLOUDSTACK_TEMPLATES.find((t) => !t.featured);
const [SMALL] = CLOUDSTACK_OFFERINGS;
const SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb2XcMBbo8vYb3Mq4v9yJc4VjV0aG9uZXN0bHlub3RhcmVhbGtleQ alice@laptop';

const deployParams = (extra: Record<string, string> = {}): Record<string, string> => ({
  zoneid: ZONE_A.id,
  templateid: UBUNTU?.id ?? '',
  serviceofferingid: SMALL?.id ?? '',
  ...extra,
});

describe('CloudStack commands and envelopes', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startCloudStack({
      clock,
      bootDelayMs: 50,
      haltDelayMs: 50,
      accounts: [{ key: 'k', secret: 's', name: 'alice', vmLimit: 50 }],
    });
  });
  afterAll(() => sim.close());

  describe('protocol', () => {
    it('answers XML, the default, when response is not json', async () => {
      const answer = await callCloudStack(sim, 'listZones', {}, { response: 'none' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
      expect(answer.text).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?><listzonesresponse cloud-stack-version="4\.19\.1\.0"><count>2<\/count><zone><id>/,
      );
      expect(answer.text.match(/<zone>/g)).toHaveLength(2);
    });

    it('answers errors as XML too', async () => {
      const answer = await callCloudStack(sim, 'listTemplates', {}, { response: 'xml' });
      expect(answer.status).toBe(431);
      expect(answer.text).toContain('<errorcode>431</errorcode>');
      expect(answer.text).toContain(
        '<errortext>Unable to execute API command listtemplates due to missing parameter templatefilter</errortext>',
      );
    });

    it("dates its answers with the cloud's clock", async () => {
      const answer = await callCloudStack(sim, 'listCapabilities');
      expect(new Date(answer.headers.get('date') ?? '').getTime()).toBe(
        Math.floor(clock.now() / 1000) * 1000,
      );
      expect(answer.body.listcapabilitiesresponse.capability.cloudstackversion).toBe('4.19.1.0');
    });

    it('serves only /client/api, with GET and POST', async () => {
      expect((await fetch(`${sim.url}/client/other`)).status).toBe(404);
      expect((await fetch(`${sim.url}${CLOUDSTACK_API_PATH}`, { method: 'PUT' })).status).toBe(405);
    });

    it('names the first missing required parameter in a 431', async () => {
      const answer = await callCloudStack(sim, 'deployVirtualMachine', { templateid: UBUNTU?.id ?? '' });
      expect(answer.status).toBe(431);
      expect(answer.body).toEqual({
        deployvirtualmachineresponse: {
          uuidList: [],
          errorcode: 431,
          cserrorcode: 9999,
          errortext: 'Unable to execute API command deployvirtualmachine due to missing parameter zoneid',
        },
      });
    });
  });

  describe('catalog', () => {
    it('lists a template once per zone it is in, by filter', async () => {
      const executable = (await callCloudStack(sim, 'listTemplates', { templatefilter: 'executable' })).body
        .listtemplatesresponse;
      // Four featured templates in two zones, the account's own template in one.
      expect(executable.count).toBe(9);
      const featured = (await callCloudStack(sim, 'listTemplates', { templatefilter: 'featured' })).body
        .listtemplatesresponse;
      expect(featured.template.every((t: { isfeatured: boolean }) => t.isfeatured)).toBe(true);
      const self = (await callCloudStack(sim, 'listTemplates', { templatefilter: 'self', zoneid: ZONE_B.id }))
        .body;
      expect(self).toEqual({ listtemplatesresponse: {} });
      const own = (await callCloudStack(sim, 'listTemplates', { templatefilter: 'self' })).body
        .listtemplatesresponse;
      expect(own.template).toEqual([
        expect.objectContaining({
          id: USER_TEMPLATE?.id,
          zoneid: ZONE_A.id,
          isfeatured: false,
          templatetype: 'USER',
        }),
      ]);
    });

    it('refuses an unknown template filter and the admin-only one', async () => {
      const unknown = await callCloudStack(sim, 'listTemplates', { templatefilter: 'mine' });
      expect(unknown.status).toBe(431);
      expect(unknown.body.listtemplatesresponse.errortext).toBe('Please specify a valid template filter.');
      const all = await callCloudStack(sim, 'listTemplates', { templatefilter: 'all' });
      expect(all.body.listtemplatesresponse).toMatchObject({ errorcode: 431, cserrorcode: 4350 });
    });

    it('lists service offerings with their CPU, speed and memory', async () => {
      const offerings = (await callCloudStack(sim, 'listServiceOfferings')).body.listserviceofferingsresponse;
      expect(offerings.count).toBe(3);
      expect(offerings.serviceoffering[0]).toMatchObject({
        name: 'Small Instance',
        cpunumber: 1,
        cpuspeed: 500,
        memory: 512,
      });
    });

    it('answers 431 for an id that names nothing', async () => {
      const answer = await callCloudStack(sim, 'listZones', { id: 'no-such-zone' });
      expect(answer.status).toBe(431);
      expect(answer.body.listzonesresponse.errortext).toBe(
        'Unable to execute API command listzones due to invalid value. Invalid parameter id value=no-such-zone due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.',
      );
    });
  });

  describe('pagination', () => {
    let ids: string[] = [];
    beforeAll(() => {
      const account = sim.control.cloud.accountByKey('k');
      if (!account) throw new Error('account missing');
      ids = sim.control.cloud
        .seedVms(account.id, 7, {
          zone: ZONE_B.id,
          image: UBUNTU?.id ?? '',
          size: SMALL?.id ?? '',
          namePrefix: 'page',
        })
        .map((vm) => vm.id);
    });

    it('pages with page and pagesize, count being the total', async () => {
      const pages = [];
      for (const page of ['1', '2', '3']) {
        pages.push(
          (await callCloudStack(sim, 'listVirtualMachines', { zoneid: ZONE_B.id, page, pagesize: '3' })).body
            .listvirtualmachinesresponse,
        );
      }
      expect(pages.map((p) => p.count)).toEqual([7, 7, 7]);
      expect(pages.flatMap((p) => p.virtualmachine.map((vm: { id: string }) => vm.id))).toEqual(ids);
      const beyond = (
        await callCloudStack(sim, 'listVirtualMachines', { zoneid: ZONE_B.id, page: '4', pagesize: '3' })
      ).body;
      expect(beyond).toEqual({ listvirtualmachinesresponse: { count: 7 } });
    });

    it('refuses page without pagesize and the reverse', async () => {
      const noSize = await callCloudStack(sim, 'listVirtualMachines', { page: '1' });
      expect(noSize.status).toBe(431);
      expect(noSize.body.listvirtualmachinesresponse.errortext).toBe(
        '"pagesize" parameter is required when "page" is specified',
      );
      const noPage = await callCloudStack(sim, 'listVirtualMachines', { pagesize: '2' });
      expect(noPage.body.listvirtualmachinesresponse.errortext).toBe(
        '"page" parameter is required when "pagesize" is specified',
      );
    });

    it('refuses a page size above default.page.size and non-numbers', async () => {
      const big = await callCloudStack(sim, 'listVirtualMachines', { page: '1', pagesize: '501' });
      expect(big.body.listvirtualmachinesresponse).toMatchObject({
        errorcode: 431,
        cserrorcode: 4350,
        errortext: "Page size can't exceed max allowed page size value: 500",
      });
      const text = await callCloudStack(sim, 'listVirtualMachines', { page: 'one', pagesize: '5' });
      expect(text.body.listvirtualmachinesresponse.errortext).toBe(
        'Unable to execute API command listvirtualmachines due to invalid value one for parameter page',
      );
    });

    it('lists everything with pagesize=-1', async () => {
      const all = (await callCloudStack(sim, 'listVirtualMachines', { zoneid: ZONE_B.id, pagesize: '-1' }))
        .body;
      expect(all.listvirtualmachinesresponse.virtualmachine).toHaveLength(7);
    });
  });

  describe('VMs', () => {
    it('deploys, lists and filters VMs with CloudStack field names', async () => {
      const deployed = await callCloudStack(
        sim,
        'deployVirtualMachine',
        deployParams({ name: 'web-1', displayname: 'Web 1' }),
        { method: 'POST' },
      );
      expect(deployed.status).toBe(200);
      const { id, jobid } = deployed.body.deployvirtualmachineresponse;
      expect(typeof id).toBe('string');
      expect(typeof jobid).toBe('string');
      const [vm] = (await callCloudStack(sim, 'listVirtualMachines', { id })).body.listvirtualmachinesresponse
        .virtualmachine;
      expect(vm).toMatchObject({
        id,
        name: 'web-1',
        displayname: 'Web 1',
        account: 'alice',
        domain: 'ROOT',
        state: 'Starting',
        zoneid: ZONE_A.id,
        zonename: ZONE_A.name,
        templateid: UBUNTU?.id,
        serviceofferingid: SMALL?.id,
        serviceofferingname: 'Small Instance',
        cpunumber: 1,
        cpuspeed: 500,
        memory: 512,
        jobid,
        jobstatus: 0,
      });
      expect(vm.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/);
      expect(vm.nic).toEqual([
        expect.objectContaining({ isdefault: true, traffictype: 'Guest', type: 'Isolated' }),
      ]);
      expect(vm.nic[0].ipaddress).toMatch(/^10\./);
      expect(vm.publicip).toMatch(/^198\.1[89]\./);
      const byState = (await callCloudStack(sim, 'listVirtualMachines', { state: 'starting', name: 'web' }))
        .body;
      expect(byState.listvirtualmachinesresponse.virtualmachine.map((v: { id: string }) => v.id)).toEqual([
        id,
      ]);
    });

    it('refuses a name that is not a host name, and a second VM with the same name', async () => {
      const bad = await callCloudStack(sim, 'deployVirtualMachine', deployParams({ name: 'my vm' }));
      expect(bad.status).toBe(431);
      expect(bad.body.deployvirtualmachineresponse.errortext).toMatch(
        /^Invalid name\. Vm name can contain ASCII letters/,
      );
      const twice = await callCloudStack(sim, 'deployVirtualMachine', deployParams({ name: 'web-1' }));
      expect(twice.body.deployvirtualmachineresponse.errortext).toMatch(
        /^The vm with hostName web-1 already exists/,
      );
    });

    it('checks user data: base64, at most 4 KB by GET, 32 KB by POST', async () => {
      const notBase64 = await callCloudStack(
        sim,
        'deployVirtualMachine',
        deployParams({ userdata: 'not base64!' }),
      );
      expect(notBase64.body.deployvirtualmachineresponse).toMatchObject({
        errorcode: 431,
        cserrorcode: 4350,
        errortext: 'User data is not base64 encoded',
      });
      const fiveKb = Buffer.alloc(3750, 'a').toString('base64');
      const byGet = await callCloudStack(sim, 'deployVirtualMachine', deployParams({ userdata: fiveKb }));
      expect(byGet.body.deployvirtualmachineresponse.errortext).toBe(
        'User data is too long for an http GET request',
      );
      const tooBig = Buffer.alloc(30_000, 'a').toString('base64');
      const byPost = await callCloudStack(sim, 'deployVirtualMachine', deployParams({ userdata: tooBig }), {
        method: 'POST',
      });
      expect(byPost.body.deployvirtualmachineresponse.errortext).toBe(
        'User data has exceeded configurable max length : 32768',
      );
      const fine = await callCloudStack(
        sim,
        'deployVirtualMachine',
        deployParams({ name: 'with-data', userdata: fiveKb }),
        { method: 'POST' },
      );
      expect(fine.status).toBe(200);
      const vm = sim.control.cloud.vm(
        sim.control.cloud.accountByKey('k')?.id ?? '',
        fine.body.deployvirtualmachineresponse.id,
      );
      expect(vm?.userData).toBe(fiveKb);
    });

    it('answers 431 for a VM id it never knew and an empty list for an expunged one', async () => {
      const unknown = await callCloudStack(sim, 'listVirtualMachines', {
        id: '00000000-0000-4000-8000-000000000000',
      });
      expect(unknown.status).toBe(431);
      const ids = await callCloudStack(sim, 'listVirtualMachines', { ids: 'not-a-uuid' });
      expect(ids.body.listvirtualmachinesresponse.errortext).toContain(
        'Invalid parameter ids value=not-a-uuid',
      );
      const [listed] = sim.control.cloud.vms(sim.control.cloud.accountByKey('k')?.id ?? '');
      const both = await callCloudStack(sim, 'listVirtualMachines', {
        id: listed?.id ?? '',
        ids: listed?.id ?? '',
      });
      expect(both.body.listvirtualmachinesresponse).toMatchObject({
        errorcode: 431,
        cserrorcode: 4350,
        errortext: 'Specify either id or ids but not both parameters',
      });
      const account = sim.control.cloud.accountByKey('k');
      const [seeded] = sim.control.cloud.seedVms(account?.id ?? '', 1, {
        zone: ZONE_A.id,
        image: UBUNTU?.id ?? '',
        size: SMALL?.id ?? '',
        namePrefix: 'gone',
      });
      await callCloudStack(sim, 'destroyVirtualMachine', { id: seeded?.id ?? '', expunge: 'true' });
      clock.advance(50);
      expect((await callCloudStack(sim, 'listVirtualMachines', { id: seeded?.id ?? '' })).body).toEqual({
        listvirtualmachinesresponse: {},
      });
      const again = await callCloudStack(sim, 'destroyVirtualMachine', { id: seeded?.id ?? '' });
      expect(again.body.destroyvirtualmachineresponse).toMatchObject({
        errorcode: 431,
        cserrorcode: 4350,
        errortext: 'Unable to find a virtual machine with specified vmId',
      });
    });

    it('refuses a VM beyond the account limit with the resource limit error', async () => {
      sim.control.cloud.setAccountStatus('k', 'active');
      const account = sim.control.cloud.accountByKey('k');
      if (!account) throw new Error('account missing');
      account.vmLimit = sim.control.cloud
        .vms(account.id)
        .filter((vm) => vm.phase !== 'destroyed' && vm.phase !== 'expunging').length;
      const answer = await callCloudStack(
        sim,
        'deployVirtualMachine',
        deployParams({ name: 'one-too-many' }),
      );
      expect(answer.status).toBe(535);
      expect(answer.body.deployvirtualmachineresponse).toEqual({
        uuidList: [],
        errorcode: 535,
        cserrorcode: 9999,
        errortext: `Maximum amount of resources of Type = 'user_vm' for Account Name = alice in Domain Id = 1 is exceeded: Account Resource Limit = ${account.vmLimit}, Current Account Resource Amount = ${account.vmLimit}, Requested Resource Amount = 1.`,
      });
      account.vmLimit = 100;
    });
  });

  describe('SSH key pairs and tags', () => {
    it('registers, lists, refuses duplicates and deletes key pairs', async () => {
      const registered = await callCloudStack(sim, 'registerSSHKeyPair', {
        name: 'laptop',
        publickey: SSH_KEY,
      });
      expect(registered.status).toBe(200);
      const { keypair } = registered.body.registersshkeypairresponse;
      expect(keypair).toMatchObject({ name: 'laptop', account: 'alice', domain: 'ROOT' });
      expect(keypair.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      const byFingerprint = (
        await callCloudStack(sim, 'listSSHKeyPairs', { fingerprint: keypair.fingerprint })
      ).body;
      expect(byFingerprint.listsshkeypairsresponse.sshkeypair.map((p: { name: string }) => p.name)).toEqual([
        'laptop',
      ]);
      const sameName = await callCloudStack(sim, 'registerSSHKeyPair', {
        name: 'laptop',
        publickey: SSH_KEY,
      });
      expect(sameName.body.registersshkeypairresponse.errortext).toBe(
        "A key pair with name 'laptop' already exists for this account.",
      );
      const sameKey = await callCloudStack(sim, 'registerSSHKeyPair', { name: 'other', publickey: SSH_KEY });
      expect(sameKey.body.registersshkeypairresponse.errortext).toMatch(/^A key pair with key '/);
      const invalid = await callCloudStack(sim, 'registerSSHKeyPair', { name: 'bad', publickey: 'hello' });
      expect(invalid.body.registersshkeypairresponse).toMatchObject({
        errorcode: 431,
        errortext: 'Public key is invalid',
      });
      const deployed = await callCloudStack(
        sim,
        'deployVirtualMachine',
        deployParams({ name: 'keyed', keypair: 'laptop' }),
      );
      const [vm] = (
        await callCloudStack(sim, 'listVirtualMachines', {
          id: deployed.body.deployvirtualmachineresponse.id,
        })
      ).body.listvirtualmachinesresponse.virtualmachine;
      expect(vm.keypairs).toBe('laptop');
      expect((await callCloudStack(sim, 'deleteSSHKeyPair', { name: 'laptop' })).body).toEqual({
        deletesshkeypairresponse: { success: true },
      });
      const missing = await callCloudStack(sim, 'deleteSSHKeyPair', { name: 'laptop' });
      expect(missing.status).toBe(431);
      const noPair = await callCloudStack(sim, 'deployVirtualMachine', deployParams({ keypair: 'laptop' }));
      expect(noPair.body.deployvirtualmachineresponse.errortext).toBe(
        "A key pair with name 'laptop' was not found.",
      );
    });

    it('creates tags through a job, lists them, and filters VMs by them', async () => {
      const deployed = await callCloudStack(sim, 'deployVirtualMachine', deployParams({ name: 'tagged' }));
      const id = deployed.body.deployvirtualmachineresponse.id;
      const created = await callCloudStack(sim, 'createTags', {
        resourceids: id,
        resourcetype: 'UserVm',
        'tags[0].key': 'env',
        'tags[0].value': 'prod',
        'tags[1].key': 'team',
        'tags[1].value': 'web',
      });
      const job = await callCloudStack(sim, 'queryAsyncJobResult', {
        jobid: created.body.createtagsresponse.jobid,
      });
      expect(job.body.queryasyncjobresultresponse).toMatchObject({
        jobstatus: 1,
        jobresult: { success: true },
        cmd: 'org.apache.cloudstack.api.command.user.tag.CreateTagsCmd',
      });
      const tags = (await callCloudStack(sim, 'listTags', { resourceid: id })).body.listtagsresponse;
      expect(tags.count).toBe(2);
      expect(tags.tag[0]).toEqual({
        key: 'env',
        value: 'prod',
        resourcetype: 'UserVm',
        resourceid: id,
        account: 'alice',
        domainid: expect.any(String),
        domain: 'ROOT',
      });
      const found = (
        await callCloudStack(sim, 'listVirtualMachines', { 'tags[0].key': 'env', 'tags[0].value': 'prod' })
      ).body.listvirtualmachinesresponse;
      expect(found.virtualmachine.map((vm: { id: string }) => vm.id)).toEqual([id]);
      const none = (
        await callCloudStack(sim, 'listVirtualMachines', { 'tags[0].key': 'env', 'tags[0].value': 'dev' })
      ).body;
      expect(none).toEqual({ listvirtualmachinesresponse: {} });
      const malformed = await callCloudStack(sim, 'listVirtualMachines', { 'tags[0][1].key': 'env' });
      expect(malformed.status).toBe(430);
      const missingTags = await callCloudStack(sim, 'createTags', {
        resourceids: id,
        resourcetype: 'UserVm',
      });
      expect(missingTags.body.createtagsresponse.errortext).toBe(
        'Unable to execute API command createtags due to missing parameter tags',
      );
    });
  });
});
