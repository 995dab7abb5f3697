import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { OPENNEBULA_ERROR_CODES } from './errors.js';
import { type RunningOpenNebula, startOpenNebula } from './index.js';
import { OneTestClient, type Xml } from './test-client.js';
import { rpc } from './xmlrpc.js';

/** The XML-RPC endpoint, users, templates, networks and instantiate, through HTTP. */

const ALICE = { key: 'alice', secret: 'alice-password', vmLimit: 30 };
/** A password with colons: the session splits at the first one only. */
const BOB = { key: 'bob', secret: 'b:o:b', vmLimit: 2 };
const { AUTHENTICATION, AUTHORIZATION, NO_EXISTS, XML_RPC_API, INTERNAL, ALLOCATE } = OPENNEBULA_ERROR_CODES;

// Many calls per test to a simulator: generous on a loaded machine.
describe('the OpenNebula front-end', { timeout: 60_000 }, () => {
  let sim: RunningOpenNebula;
  let clock: ManualClock;
  let alice: OneTestClient;
  let bob: OneTestClient;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    sim = await startOpenNebula({ clock, bootDelayMs: 9000, haltDelayMs: 6000, accounts: [ALICE, BOB] });
    alice = new OneTestClient(sim.rpcUrl, `${ALICE.key}:${ALICE.secret}`);
    bob = new OneTestClient(sim.rpcUrl, `${BOB.key}:${BOB.secret}`);
  });
  afterEach(() => sim.close());

  describe('the XML-RPC endpoint', () => {
    it("answers POST /RPC2 with xmlrpc-c's methodResponse: [true, result, 0]", async () => {
      expect(sim.rpcUrl).toBe(`${sim.url}/RPC2`);
      const answer = await alice.rawCall('one.system.version', [alice.session]);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/xml; charset="utf-8"');
      expect(answer.text).toBe(
        '<?xml version="1.0" encoding="UTF-8"?>\r\n<methodResponse>\r\n<params>\r\n<param><value><array><data>\r\n' +
          '<value><boolean>1</boolean></value>\r\n<value><string>6.10.0</string></value>\r\n' +
          '<value><i4>0</i4></value>\r\n</data></array></value></param>\r\n</params>\r\n</methodResponse>\r\n',
      );
    });

    it('faults as xmlrpc-c does: not a call, an unknown method, arguments missing or mistyped', async () => {
      const notXml = await alice.post('this is not XML');
      expect(notXml.status).toBe(200);
      expect(notXml.text).toContain('<value><i4>-503</i4></value>');
      expect(notXml.text).toContain('Call XML not a proper XML-RPC call.  Call is not valid XML.');
      expect(await alice.fault('one.vm.delete', [alice.session, 1])).toEqual({
        faultCode: -506,
        faultString: "Method 'one.vm.delete' not defined",
      });
      // The state argument is mandatory: four arguments are one too few.
      expect(await alice.fault('one.vmpool.info', [alice.session, -2, -1, -1])).toEqual({
        faultCode: -501,
        faultString: 'Not enough parameters',
      });
      expect(await alice.fault('one.vm.info', [alice.session, '7'])).toEqual({
        faultCode: -501,
        faultString: 'Parameter that is supposed to be integer is not',
      });
      expect(await alice.fault('one.vm.info', [alice.session, rpc.i8(7)])).toMatchObject({ faultCode: -501 });
      expect(await alice.fault('one.system.version', [42])).toEqual({
        faultCode: -501,
        faultString: 'Parameter that is supposed to be a string is not',
      });
      expect(await alice.fault('one.system.version', [])).toMatchObject({
        faultString: 'Not enough parameters',
      });
      // Arguments past those a method reads are ignored, as oned ignores them.
      expect(await alice.ok('one.system.version', 'extra', 1)).toBe('6.10.0');
    });

    it('reads untyped values as strings and <int> as <i4>', async () => {
      const body =
        '<?xml version="1.0"?><methodCall><methodName>one.vm.info</methodName><params>' +
        `<param><value>${ALICE.key}:${ALICE.secret}</value></param><param><value><int>5</int></value></param>` +
        '</params></methodCall>';
      const answer = await alice.post(body);
      expect(answer.text).toContain('[one.vm.info] Error getting virtual machine [5].');
    });

    it('is HTTP like oned behind its server: 404 elsewhere, 405 for GET, 400 for another content type', async () => {
      expect((await fetch(`${sim.url}/RPC3`, { method: 'POST', body: '' })).status).toBe(404);
      expect((await fetch(sim.rpcUrl)).status).toBe(405);
      const json = await alice.post('{}', { 'content-type': 'application/json' });
      expect(json.status).toBe(400);
      const charset = await alice.post('<methodCall/>', { 'content-type': 'text/xml; charset=utf-8' });
      expect(charset.status).toBe(200);
    });

    it('serves another path when told, as behind a proxy', async () => {
      const proxied = await startOpenNebula({ path: '/one-proxy/xmlrpc', accounts: [ALICE] });
      try {
        expect(proxied.rpcUrl).toBe(`${proxied.url}/one-proxy/xmlrpc`);
        const client = new OneTestClient(proxied.rpcUrl, alice.session);
        expect(await client.ok('one.system.version')).toBe('6.10.0');
        expect((await fetch(`${proxied.url}/RPC2`, { method: 'POST' })).status).toBe(404);
      } finally {
        await proxied.close();
      }
    });

    it('names operations by method for the request log and fault rules', async () => {
      sim.control.clearRequests();
      await alice.ok('one.vmpool.info', -2, -1, -1, -1);
      await alice.ok('one.vmpool.info', -2, -1, -1, -1);
      await alice.ok('one.system.version');
      expect(sim.control.count('one.vmpool.info')).toBe(2);
      expect(sim.control.requests.map((request) => request.operation)).toEqual([
        'one.vmpool.info',
        'one.vmpool.info',
        'one.system.version',
      ]);

      sim.control.rateLimit(7, { match: 'one.vmpool.info' });
      const limited = await fetch(sim.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: '<methodCall><methodName>one.vmpool.info</methodName></methodCall>',
      });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(await limited.text()).toContain('429 Too Many Requests');

      sim.control.failWithStatus(503, { match: 'one.system.version' });
      await expect(alice.ok('one.system.version')).rejects.toThrow(/HTTP 503: <html>/);

      sim.control.malformBody({ match: 'one.system.version' });
      const cut = await alice.post(
        `<methodCall><methodName>one.system.version</methodName><params><param><value>${alice.session}</value></param></params></methodCall>`,
      );
      expect(cut.status).toBe(200);
      expect(cut.text).not.toContain('</methodResponse>');
    });
  });

  describe('authentication', () => {
    it('refuses a wrong password as oned: [false, message, 256, -1, <i8>-1]', async () => {
      const wrong = new OneTestClient(sim.rpcUrl, `${ALICE.key}:not-the-password`);
      const answer = await wrong.rawCall('one.user.info', [wrong.session, -1]);
      expect(answer.text).toContain('<value><i8>-1</i8></value>');
      expect(await wrong.fail('one.user.info', -1)).toEqual({
        message: "[one.user.info] User couldn't be authenticated, aborting call.",
        code: AUTHENTICATION,
        respId: -1,
        replication: -1,
      });
      expect((await wrong.fail('one.vmpool.info', -2, -1, -1, -1)).message).toBe(
        "[one.vmpool.info] User couldn't be authenticated, aborting call.",
      );
      for (const session of ['nobody:x', 'alice', ':alice-password', '']) {
        expect((await new OneTestClient(sim.rpcUrl, session).fail('one.system.version')).code).toBe(
          AUTHENTICATION,
        );
      }
    });

    it('splits the session at the first colon: passwords may hold colons', async () => {
      expect(await bob.ok('one.system.version')).toBe('6.10.0');
    });

    it('refuses expired and revoked keys like a wrong password, until restored', async () => {
      sim.control.revokeKey(ALICE.key);
      expect((await alice.fail('one.system.version')).code).toBe(AUTHENTICATION);
      sim.control.expireKey(ALICE.key);
      expect((await alice.fail('one.system.version')).code).toBe(AUTHENTICATION);
      sim.control.restoreKey(ALICE.key);
      expect(await alice.ok('one.system.version')).toBe('6.10.0');
    });

    it('tells a user about itself (id -1), and nobody else', async () => {
      const user = (await alice.document('one.user.info', -1)).USER;
      expect(user).toMatchObject({
        ID: '2',
        GID: '1',
        GROUPS: { ID: '1' },
        GNAME: 'users',
        NAME: 'alice',
        AUTH_DRIVER: 'core',
        ENABLED: '1',
        VM_QUOTA: { VM: { VMS: '30', VMS_USED: '0' } },
      });
      expect(user.PASSWORD).toMatch(/^[0-9a-f]{64}$/);
      expect((await bob.document('one.user.info', 3)).USER.NAME).toBe('bob');
      expect(await alice.fail('one.user.info', 3)).toMatchObject({
        message: '[one.user.info] User [2] : Not authorized to perform USE USER [3].',
        code: AUTHORIZATION,
      });
      expect(await alice.fail('one.user.info', 99)).toEqual({
        message: '[one.user.info] Error getting user [99].',
        code: NO_EXISTS,
        respId: 99,
        replication: -1,
      });
    });
  });

  describe('templates', () => {
    const ids = (pool: Xml): string[] => (pool.VMTEMPLATE_POOL.VMTEMPLATE ?? []).map((t: Xml) => t.ID);

    it("lists oneadmin's shared templates and the user's own, by filter flag, newest first", async () => {
      expect(sim.templates).toEqual([
        { id: 0, name: 'Ubuntu 24.04' },
        { id: 1, name: 'Debian 12' },
        { id: 2, name: 'AlmaLinux 9' },
        { id: 3, name: 'slipstream-app' },
      ]);
      expect(ids(await alice.document('one.templatepool.info', -2, -1, -1))).toEqual(['3', '2', '1', '0']);
      expect(ids(await alice.document('one.templatepool.info', -1, -1, -1))).toEqual(['3', '2', '1', '0']);
      // -3 is the user's own only: oneadmin's shared templates are not.
      expect(ids(await alice.document('one.templatepool.info', -3, -1, -1))).toEqual(['3']);
      expect(ids(await alice.document('one.templatepool.info', 0, -1, -1))).toEqual(['2', '1', '0']);
      // The first account's template is private to it.
      expect(ids(await bob.document('one.templatepool.info', -2, -1, -1))).toEqual(['2', '1', '0']);
      expect(await bob.ok('one.templatepool.info', -3, -1, -1)).toBe('<VMTEMPLATE_POOL></VMTEMPLATE_POOL>');
      expect(await alice.fail('one.templatepool.info', -5, -1, -1)).toMatchObject({
        message: '[one.templatepool.info] Incorrect filter_flag',
        code: XML_RPC_API,
      });
    });

    it('pages by offset and page size, or by id range', async () => {
      expect(ids(await alice.document('one.templatepool.info', -2, 0, -2))).toEqual(['3', '2']);
      expect(ids(await alice.document('one.templatepool.info', -2, 2, -2))).toEqual(['1', '0']);
      expect(ids(await alice.document('one.templatepool.info', -2, 4, -2))).toEqual([]);
      expect(ids(await alice.document('one.templatepool.info', -2, 1, 2))).toEqual(['2', '1']);
      expect(ids(await alice.document('one.templatepool.info', -2, 2, -1))).toEqual(['3', '2']);
    });

    it('describes a template as vmtemplate.xsd has it', async () => {
      const template = (await alice.document('one.template.info', 0)).VMTEMPLATE;
      expect(template).toMatchObject({
        ID: '0',
        UID: '0',
        GID: '1',
        UNAME: 'oneadmin',
        GNAME: 'users',
        NAME: 'Ubuntu 24.04',
        PERMISSIONS: { OWNER_U: '1', OWNER_M: '1', GROUP_U: '1', OTHER_U: '0' },
        TEMPLATE: {
          CPU: '1',
          VCPU: '1',
          MEMORY: '1024',
          DISK: [{ IMAGE_ID: '0' }],
          NIC: [{ NETWORK: 'public', NETWORK_UNAME: 'oneadmin', SECURITY_GROUPS: '0' }],
          CONTEXT: { NETWORK: 'YES', SSH_PUBLIC_KEY: '$USER[SSH_PUBLIC_KEY]' },
          LOGO: 'images/logos/ubuntu.png',
        },
      });
      expect(template.REGTIME).toMatch(/^\d{10}$/);
      expect(await bob.fail('one.template.info', 3)).toMatchObject({
        message: '[one.template.info] User [3] : Not authorized to perform USE TEMPLATE [3].',
        code: AUTHORIZATION,
      });
      expect(await alice.fail('one.template.info', 42)).toMatchObject({
        message: '[one.template.info] Error getting virtual machine template [42].',
        code: NO_EXISTS,
        respId: 42,
      });
    });
  });

  describe('networks', () => {
    it('lists the virtual networks, their leases in use counted', async () => {
      await alice.ok(
        'one.template.instantiate',
        0,
        'web',
        false,
        'NIC=[NETWORK_ID="0"] NIC=[NETWORK_ID="1"]',
        false,
      );
      await alice.ok('one.template.instantiate', 0, 'db', false, 'NIC=[NETWORK_ID="1"]', false);
      const networks = (await alice.document('one.vnpool.info', -2, -1, -1)).VNET_POOL.VNET;
      expect(networks.map((network: Xml) => [network.ID, network.NAME, network.USED_LEASES])).toEqual([
        ['1', 'private', '2'],
        ['0', 'public', '1'],
      ]);
      expect(networks[1]).toMatchObject({
        UNAME: 'oneadmin',
        PERMISSIONS: { GROUP_U: '1' },
        VN_MAD: 'bridge',
        AR_POOL: { AR: [{ AR_ID: '0', IP: '198.18.0.1', TYPE: 'IP4' }] },
      });
      expect(sim.networks).toEqual([
        { id: 0, name: 'public', kind: 'public' },
        { id: 1, name: 'private', kind: 'private' },
      ]);
      expect(await alice.ok('one.vnpool.info', -3, -1, -1)).toBe('<VNET_POOL></VNET_POOL>');
    });
  });

  describe('one.template.instantiate', () => {
    const SSH_KEY =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJpIMNbdb5D2o1vVmyOBh3G1FE1oZdvGJh7tEv4jVcY me@host';

    it('merges a text extra template: whole attributes replaced, other attributes to USER_TEMPLATE', async () => {
      const extra = [
        'CPU="0.5"',
        'VCPU=2',
        'MEMORY="512"',
        'NIC=[NETWORK_ID="1"]',
        'NIC=[NETWORK_ID="0"]',
        `CONTEXT=[SSH_PUBLIC_KEY="${SSH_KEY}", START_SCRIPT="echo \\"hi\\""]`,
        'SLIPSTREAM_IDEMPOTENCY_KEY="req-7f3a"',
        'slipstream_launch_index="2"',
      ].join('\n');
      const id = await alice.ok<number>('one.template.instantiate', 0, 'web-1', false, extra, false);
      expect(id).toBe(0);
      const vm = (await alice.document('one.vm.info', id)).VM;
      const model = sim.control.cloud.vms(sim.control.cloud.accountByKey(ALICE.key)?.id as string)[0];
      expect(vm).toMatchObject({
        ID: '0',
        UID: '2',
        GID: '1',
        UNAME: 'alice',
        GNAME: 'users',
        NAME: 'web-1',
      });
      expect(vm.TEMPLATE).toMatchObject({
        CPU: '0.5',
        VCPU: '2',
        MEMORY: '512',
        TEMPLATE_ID: '0',
        VMID: '0',
      });
      expect(vm.TEMPLATE.NIC.map((nic: Xml) => [nic.NIC_ID, nic.NETWORK_ID, nic.NETWORK, nic.IP])).toEqual([
        ['0', '1', 'private', model?.privateIp],
        ['1', '0', 'public', model?.publicIp],
      ]);
      expect(vm.TEMPLATE.NIC[1].MAC).toMatch(/^02:00:c6:12:/);
      // The CONTEXT given replaced the template's: no NETWORK="YES", so no ETH0_* variables.
      expect(vm.TEMPLATE.CONTEXT).toEqual({
        SSH_PUBLIC_KEY: SSH_KEY,
        START_SCRIPT: 'echo "hi"',
        DISK_ID: '1',
        TARGET: 'hda',
      });
      expect(vm.TEMPLATE.DISK[0]).toMatchObject({
        DISK_ID: '0',
        IMAGE: 'Ubuntu 24.04',
        IMAGE_ID: '0',
        TARGET: 'vda',
      });
      expect(vm.USER_TEMPLATE).toMatchObject({
        SLIPSTREAM_IDEMPOTENCY_KEY: 'req-7f3a',
        SLIPSTREAM_LAUNCH_INDEX: '2',
        DESCRIPTION: expect.stringContaining('Ubuntu 24.04'),
        LOGO: 'images/logos/ubuntu.png',
        HYPERVISOR: 'kvm',
      });
      expect(vm.USER_TEMPLATE.CPU).toBeUndefined();
    });

    it('merges an XML extra template the same way', async () => {
      const extra =
        '<TEMPLATE><MEMORY>2048</MEMORY><NIC><NETWORK_ID>0</NETWORK_ID></NIC>' +
        '<SLIPSTREAM_IDEMPOTENCY_KEY>req-xml</SLIPSTREAM_IDEMPOTENCY_KEY></TEMPLATE>';
      const id = await alice.ok<number>('one.template.instantiate', 1, '', false, extra, false);
      const vm = (await alice.document('one.vm.info', id)).VM;
      expect(vm.NAME).toBe(`Debian 12-${id}`);
      expect(vm.TEMPLATE).toMatchObject({ MEMORY: '2048', CPU: '1', TEMPLATE_ID: '1' });
      expect(vm.USER_TEMPLATE.SLIPSTREAM_IDEMPOTENCY_KEY).toBe('req-xml');
      // The template's CONTEXT, NETWORK="YES": oned adds each NIC's variables, and the key resolves.
      expect(vm.TEMPLATE.CONTEXT).toMatchObject({
        NETWORK: 'YES',
        SSH_PUBLIC_KEY: '',
        ETH0_IP: vm.TEMPLATE.NIC[0].IP,
        ETH0_MAC: vm.TEMPLATE.NIC[0].MAC,
      });
    });

    it('takes three arguments (no on-hold flag, no extra template), or all six', async () => {
      expect(await alice.ok('one.template.instantiate', 2, 'bare')).toBe(0);
      expect(await alice.fault('one.template.instantiate', [alice.session, 2, 'x', false])).toEqual({
        faultCode: -501,
        faultString: 'Not enough parameters',
      });
      expect(await alice.fault('one.template.instantiate', [alice.session, 2, 'x', 'no', ''])).toMatchObject({
        faultString: 'Parameter that is supposed to be boolean is not',
      });
      expect(await alice.fault('one.template.instantiate', [alice.session, '2', 'x'])).toMatchObject({
        faultString: 'Parameter that is supposed to be integer is not',
      });
    });

    it('refuses as oned: unknown template, parse errors, networks, MEMORY, CPU, VCPU, names', async () => {
      const fail = (extra: string, template = 0, name = '') =>
        alice.fail('one.template.instantiate', template, name, false, extra, false);
      expect(await fail('', 99)).toEqual({
        message: '[one.template.instantiate] Error getting virtual machine template [99].',
        code: NO_EXISTS,
        respId: 99,
        replication: -1,
      });
      expect(await fail('CPU 1')).toMatchObject({
        message: expect.stringMatching(
          /^\[one\.template\.instantiate\] Parse error: syntax error, unexpected/,
        ),
        code: INTERNAL,
      });
      expect((await fail('<TEMPLATE><CPU>1</TEMPLATE>')).message).toBe(
        '[one.template.instantiate] Parse error: XML Template malformed.',
      );
      const allocation = '[one.template.instantiate] Error allocating a new virtual machine template. ';
      expect(await fail('NIC=[NETWORK_ID="7"]')).toMatchObject({
        message: `${allocation}Virtual network with ID: 7 does not exist`,
        code: ALLOCATE,
        respId: -1,
      });
      // A network by name is looked up among the VM owner's unless NETWORK_UNAME says whose.
      expect((await fail('NIC=[NETWORK="public"]')).message).toBe(
        `${allocation}User 2 does not own a network with name: public . Set NETWORK_UNAME or NETWORK_UID of owner in NIC.`,
      );
      expect((await fail('NIC=[NETWORK="public", NETWORK_UNAME="nobody"]')).message).toBe(
        `${allocation}User set in NETWORK_UNAME does not exist`,
      );
      for (const memory of ['0', '-5', 'lots', '']) {
        expect((await fail(`MEMORY="${memory}"`)).message).toBe(
          `${allocation}MEMORY attribute must be a positive integer value.`,
        );
      }
      expect((await fail('CPU="-1"')).message).toBe(
        `${allocation}CPU attribute must be a positive float or integer value.`,
      );
      expect((await fail('VCPU="1.5"')).message).toBe(
        `${allocation}VCPU attribute must be a positive integer value.`,
      );
      expect((await fail('', 0, 'web:1')).message).toBe(`${allocation}Invalid NAME, char ':' is not allowed`);
      expect((await fail('DISK=[IMAGE_ID="12"]')).message).toBe(
        `${allocation}Image with ID: 12 does not exist`,
      );
      // Nothing was allocated: the next VM still gets id 0.
      expect(
        await alice.ok(
          'one.template.instantiate',
          0,
          '',
          false,
          'NIC=[NETWORK="public", NETWORK_UNAME="oneadmin"]',
          false,
        ),
      ).toBe(0);
    });

    it('refuses a template the user may not use', async () => {
      expect(await bob.fail('one.template.instantiate', 3, '', false, '', false)).toMatchObject({
        message: '[one.template.instantiate] User [3] : Not authorized to perform USE TEMPLATE [3].',
        code: AUTHORIZATION,
      });
    });

    it('refuses past the VMS quota, counting every VM not DONE', async () => {
      const first = await bob.ok<number>('one.template.instantiate', 0, 'one', false, '', false);
      await bob.ok('one.template.instantiate', 0, 'two', false, '', false);
      expect(await bob.fail('one.template.instantiate', 0, 'three', false, '', false)).toEqual({
        message: '[one.template.instantiate] User [3] : user [3] limit of 2 reached for VMS quota in VM.',
        code: AUTHORIZATION,
        respId: -1,
        replication: -1,
      });
      // A VM being terminated still counts until it is DONE.
      clock.advance(9000);
      await bob.ok('one.vm.action', 'terminate-hard', first);
      expect((await bob.fail('one.template.instantiate', 0, 'three', false, '', false)).code).toBe(
        AUTHORIZATION,
      );
      clock.advance(6000);
      expect(await bob.ok('one.template.instantiate', 0, 'three', false, '', false)).toBe(2);
      expect((await bob.document('one.user.info', -1)).USER.VM_QUOTA.VM).toMatchObject({
        VMS: '2',
        VMS_USED: '2',
      });
    });

    it('with persistent, instantiates a private copy of the template', async () => {
      const id = await alice.ok<number>('one.template.instantiate', 1, 'kept', false, 'MEMORY="768"', true);
      const vm = (await alice.document('one.vm.info', id)).VM;
      expect(vm.TEMPLATE).toMatchObject({ TEMPLATE_ID: '4', CLONING_TEMPLATE_ID: '1', MEMORY: '768' });
      const mine = (await alice.document('one.templatepool.info', -3, -1, -1)).VMTEMPLATE_POOL.VMTEMPLATE;
      expect(mine.map((template: Xml) => [template.ID, template.NAME, template.TEMPLATE.MEMORY])).toEqual([
        ['4', 'kept', '768'],
        ['3', 'slipstream-app', '1024'],
      ]);
    });
  });
});
