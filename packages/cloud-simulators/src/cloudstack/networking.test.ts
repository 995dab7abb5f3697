import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimVm } from '../model/types.js';
import type { RunningSimulator } from '../server/simulator.js';
import { CLOUDSTACK_OFFERINGS, CLOUDSTACK_TEMPLATES, CLOUDSTACK_ZONES } from './catalog.js';
import { startCloudStack } from './index.js';
import { callCloudStack } from './test-client.js';

const [ZONE_A, ZONE_B] = CLOUDSTACK_ZONES as [(typeof CLOUDSTACK_ZONES)[0], (typeof CLOUDSTACK_ZONES)[0]];
const EMPTY = { key: 'empty-key', secret: 'empty-secret' };
const NOWHERE = '00000000-0000-4000-8000-000000000000';

const unknownIdText = (command: string, parameter: string, value: string): string =>
  `Unable to execute API command ${command.toLowerCase()} due to invalid value. Invalid parameter ${parameter} value=${value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`;

describe('CloudStack networking lists', () => {
  let sim: RunningSimulator;
  let inA: SimVm[];
  let inB: SimVm[];

  beforeAll(async () => {
    sim = await startCloudStack({
      accounts: [
        { key: 'k', secret: 's', name: 'alice' },
        { ...EMPTY, name: 'erin' },
      ],
    });
    const account = sim.control.cloud.accountByKey('k');
    if (!account) throw new Error('account missing');
    const spec = { image: CLOUDSTACK_TEMPLATES[0]?.id ?? '', size: CLOUDSTACK_OFFERINGS[0]?.id ?? '' };
    inA = sim.control.cloud.seedVms(account.id, 3, { ...spec, zone: ZONE_A.id, namePrefix: 'a' });
    inB = sim.control.cloud.seedVms(account.id, 1, { ...spec, zone: ZONE_B.id, namePrefix: 'b' });
  });
  afterAll(() => sim.close());

  const asEmpty = { key: EMPTY.key, secret: EMPTY.secret };

  describe('listNetworks', () => {
    it("lists the account's isolated guest network in each zone it has VMs in, as its NICs name it", async () => {
      const answer = await callCloudStack(sim, 'listNetworks');
      expect(answer.status).toBe(200);
      const body = answer.body.listnetworksresponse;
      expect(body.count).toBe(2);
      expect(body.network).toHaveLength(2);
      const vms = (await callCloudStack(sim, 'listVirtualMachines')).body.listvirtualmachinesresponse
        .virtualmachine;
      const nicOf = (id: string) => vms.find((vm: { id: string }) => vm.id === id).nic[0];
      expect(body.network[0]).toMatchObject({
        id: nicOf(inA[0]?.id ?? '').networkid,
        name: nicOf(inA[0]?.id ?? '').networkname,
        displaytext: 'alice-zone-a-network',
        zoneid: ZONE_A.id,
        zonename: ZONE_A.name,
        state: 'Implemented',
        type: 'Isolated',
        traffictype: 'Guest',
        acltype: 'Account',
        account: 'alice',
        domain: 'ROOT',
        issystem: false,
        networkofferingname: 'DefaultIsolatedNetworkOfferingWithSourceNatService',
      });
      expect(body.network[1]).toMatchObject({ id: nicOf(inB[0]?.id ?? '').networkid, zoneid: ZONE_B.id });
      expect(typeof body.network[0].networkofferingid).toBe('string');
    });

    it('filters by id, zone, type and traffic type, and pages', async () => {
      const all = (await callCloudStack(sim, 'listNetworks')).body.listnetworksresponse.network;
      const byId = (await callCloudStack(sim, 'listNetworks', { id: all[1].id, listall: 'true' })).body;
      expect(byId.listnetworksresponse).toEqual({ count: 1, network: [all[1]] });
      const byZone = (await callCloudStack(sim, 'listNetworks', { zoneid: ZONE_A.id })).body;
      expect(byZone.listnetworksresponse.network.map((n: { id: string }) => n.id)).toEqual([all[0].id]);
      expect((await callCloudStack(sim, 'listNetworks', { type: 'Shared' })).body).toEqual({
        listnetworksresponse: {},
      });
      expect((await callCloudStack(sim, 'listNetworks', { traffictype: 'Public' })).body).toEqual({
        listnetworksresponse: {},
      });
      const page2 = (await callCloudStack(sim, 'listNetworks', { page: '2', pagesize: '1' })).body;
      expect(page2.listnetworksresponse).toEqual({ count: 2, network: [all[1]] });
    });

    it('answers an empty envelope to an account without VMs', async () => {
      const answer = await callCloudStack(sim, 'listNetworks', {}, asEmpty);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ listnetworksresponse: {} });
    });

    it('answers 431 for an id that names no network of the account, and for bad paging', async () => {
      const answer = await callCloudStack(sim, 'listNetworks', { id: 'not-a-uuid' });
      expect(answer.status).toBe(431);
      expect(answer.body.listnetworksresponse).toMatchObject({
        errorcode: 431,
        cserrorcode: 9999,
        errortext: unknownIdText('listNetworks', 'id', 'not-a-uuid'),
      });
      const theirs = (await callCloudStack(sim, 'listNetworks')).body.listnetworksresponse.network[0].id;
      expect((await callCloudStack(sim, 'listNetworks', { id: theirs }, asEmpty)).status).toBe(431);
      const paging = await callCloudStack(sim, 'listNetworks', { page: '1' });
      expect(paging.body.listnetworksresponse.errortext).toBe(
        '"pagesize" parameter is required when "page" is specified',
      );
    });
  });

  describe('listPublicIpAddresses', () => {
    it('lists a source NAT address per network and a static NAT address per VM', async () => {
      const answer = await callCloudStack(sim, 'listPublicIpAddresses');
      expect(answer.status).toBe(200);
      const body = answer.body.listpublicipaddressesresponse;
      // Zone A: source NAT + 3 VMs; zone B: source NAT + 1 VM.
      expect(body.count).toBe(6);
      const [sourceNat, ...staticNat] = body.publicipaddress;
      expect(sourceNat).toMatchObject({
        zoneid: ZONE_A.id,
        zonename: ZONE_A.name,
        state: 'Allocated',
        issourcenat: true,
        isstaticnat: false,
        account: 'alice',
        domain: 'ROOT',
      });
      expect(sourceNat).not.toHaveProperty('virtualmachineid');
      const vms = (await callCloudStack(sim, 'listVirtualMachines')).body.listvirtualmachinesresponse
        .virtualmachine;
      const first = vms.find((vm: { id: string }) => vm.id === inA[0]?.id);
      expect(staticNat[0]).toMatchObject({
        id: first.publicipid,
        ipaddress: first.publicip,
        issourcenat: false,
        isstaticnat: true,
        virtualmachineid: first.id,
        virtualmachinename: first.name,
        associatednetworkid: first.nic[0].networkid,
        zoneid: ZONE_A.id,
      });
      expect(sourceNat.ipaddress).not.toBe(first.publicip);
    });

    it('filters by id, zone, VM, source NAT and address, and pages', async () => {
      const all = (await callCloudStack(sim, 'listPublicIpAddresses')).body.listpublicipaddressesresponse
        .publicipaddress;
      const ids = (body: { listpublicipaddressesresponse: { publicipaddress?: { id: string }[] } }) =>
        body.listpublicipaddressesresponse.publicipaddress?.map((ip) => ip.id) ?? [];
      expect(ids((await callCloudStack(sim, 'listPublicIpAddresses', { id: all[2].id })).body)).toEqual([
        all[2].id,
      ]);
      expect(ids((await callCloudStack(sim, 'listPublicIpAddresses', { zoneid: ZONE_B.id })).body)).toEqual([
        all[4].id,
        all[5].id,
      ]);
      const byVm = (
        await callCloudStack(sim, 'listPublicIpAddresses', {
          virtualmachineid: inB[0]?.id ?? '',
          listall: 'true',
        })
      ).body;
      expect(byVm.listpublicipaddressesresponse.publicipaddress).toEqual([
        expect.objectContaining({ virtualmachineid: inB[0]?.id, ipaddress: inB[0]?.publicIp }),
      ]);
      expect(ids((await callCloudStack(sim, 'listPublicIpAddresses', { issourcenat: 'true' })).body)).toEqual(
        [all[0].id, all[4].id],
      );
      expect(
        ids((await callCloudStack(sim, 'listPublicIpAddresses', { ipaddress: all[3].ipaddress })).body),
      ).toEqual([all[3].id]);
      const page = (await callCloudStack(sim, 'listPublicIpAddresses', { page: '2', pagesize: '4' })).body;
      expect(page.listpublicipaddressesresponse).toEqual({ count: 6, publicipaddress: all.slice(4) });
    });

    it('answers an empty envelope to an account without VMs', async () => {
      expect((await callCloudStack(sim, 'listPublicIpAddresses', {}, asEmpty)).body).toEqual({
        listpublicipaddressesresponse: {},
      });
    });

    it('answers 431 for a malformed or unknown id and a VM the account never had', async () => {
      const bad = await callCloudStack(sim, 'listPublicIpAddresses', { id: 'x' });
      expect(bad.status).toBe(431);
      expect(bad.body.listpublicipaddressesresponse.errortext).toBe(
        unknownIdText('listPublicIpAddresses', 'id', 'x'),
      );
      const vm = await callCloudStack(sim, 'listPublicIpAddresses', { virtualmachineid: NOWHERE });
      expect(vm.body.listpublicipaddressesresponse).toMatchObject({
        errorcode: 431,
        errortext: unknownIdText('listPublicIpAddresses', 'virtualmachineid', NOWHERE),
      });
      const zone = await callCloudStack(sim, 'listPublicIpAddresses', { zoneid: NOWHERE });
      expect(zone.status).toBe(431);
    });
  });

  describe('listPortForwardingRules and listIpForwardingRules', () => {
    for (const [command, key] of [
      ['listPortForwardingRules', 'listportforwardingrulesresponse'],
      ['listIpForwardingRules', 'listipforwardingrulesresponse'],
    ] as const) {
      it(`${command} answers the empty envelope: the account has no rules`, async () => {
        const answer = await callCloudStack(sim, command);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ [key]: {} });
        expect((await callCloudStack(sim, command, {}, asEmpty)).body).toEqual({ [key]: {} });
        const xml = await callCloudStack(sim, command, {}, { response: 'xml' });
        expect(xml.text).toMatch(new RegExp(`<${key} cloud-stack-version="[^"]+"></${key}>$`));
      });

      it(`${command} filters by an address of the account, and pages`, async () => {
        const ip = (await callCloudStack(sim, 'listPublicIpAddresses')).body.listpublicipaddressesresponse
          .publicipaddress[1];
        const byIp = await callCloudStack(sim, command, { ipaddressid: ip.id, listall: 'true' });
        expect(byIp.body).toEqual({ [key]: {} });
        const paged = await callCloudStack(sim, command, { page: '1', pagesize: '10' });
        expect(paged.body).toEqual({ [key]: {} });
        const tooBig = await callCloudStack(sim, command, { page: '1', pagesize: '501' });
        expect(tooBig.status).toBe(431);
      });

      it(`${command} answers 431 for a malformed id and an address the account does not hold`, async () => {
        const bad = await callCloudStack(sim, command, { id: 'not-an-id' });
        expect(bad.status).toBe(431);
        expect(bad.body[key]).toMatchObject({
          errorcode: 431,
          cserrorcode: 9999,
          errortext: unknownIdText(command, 'id', 'not-an-id'),
        });
        const ip = (await callCloudStack(sim, 'listPublicIpAddresses')).body.listpublicipaddressesresponse
          .publicipaddress[0];
        const foreign = await callCloudStack(sim, command, { ipaddressid: ip.id }, asEmpty);
        expect(foreign.body[key].errortext).toBe(unknownIdText(command, 'ipaddressid', ip.id));
      });
    }
  });
});
