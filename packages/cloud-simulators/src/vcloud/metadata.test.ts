import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { type RunningVcloud, startVcloud } from './index.js';
import { VcloudTestClient, type Xml } from './test-client.js';

/** Metadata on vApps and VMs: the Metadata document, typed values, merge, delete, the tests' view. */

const ALICE = { key: 'alice', secret: 'alice-password' };
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const VCLOUD = 'http://www.vmware.com/vcloud/v1.5';

const value = (type: string, text: string) =>
  `<MetadataValue xmlns="${VCLOUD}" xmlns:xsi="${XSI}"><TypedValue xsi:type="${type}"><Value>${text}</Value></TypedValue></MetadataValue>`;

describe('vCD metadata', () => {
  let sim: RunningVcloud;
  let client: VcloudTestClient;
  let vapp: Xml;

  beforeEach(async () => {
    sim = await startVcloud({ clock: new ManualClock(), accounts: [ALICE] });
    client = new VcloudTestClient(sim.endpoint);
    await client.login('alice', 'slipstream', ALICE.secret);
    const account = sim.control.cloud.accountByKey('alice')?.id as string;
    sim.control.cloud.seedVms(account, 1, {
      zone: 'pvdc-1',
      image: 'debian-12',
      size: 'template-default',
      namePrefix: 'tagged',
      tags: { team: 'blue' },
    });
    vapp = (await client.query({ type: 'vApp' })).VAppRecord[0];
  });
  afterEach(() => sim.close());

  it('sets a value with PUT (a Task), answers it alone and in the Metadata document', async () => {
    const put = await client.call('PUT', `${vapp.href}/metadata/slipstream.key`, {
      body: value('MetadataStringValue', 'launch-1 &amp; &lt;more&gt;'),
      contentType: 'application/vnd.vmware.vcloud.metadata.value+xml',
    });
    expect(put.status).toBe(202);
    const task = put.xml.Task[0];
    expect(task).toMatchObject({ status: 'success', operationName: 'metadataUpdate' });
    expect(task.Owner.href).toBe(vapp.href);
    expect((await client.document(task.href)).Task[0].status).toBe('success');

    const one = await client.get(`${vapp.href}/metadata/slipstream.key`);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe(
      'application/vnd.vmware.vcloud.metadata.value+xml;version=38.0',
    );
    expect(one.text).toContain(
      '<TypedValue xsi:type="MetadataStringValue"><Value>launch-1 &amp; &lt;more&gt;</Value></TypedValue>',
    );
    expect(one.xml.MetadataValue.TypedValue.Value).toBe('launch-1 & <more>');

    const all = await client.get(`${vapp.href}/metadata`);
    expect(all.headers.get('content-type')).toBe('application/vnd.vmware.vcloud.metadata+xml;version=38.0');
    const entries = all.xml.Metadata.MetadataEntry.map((entry: Xml) => [entry.Key, entry.TypedValue.Value]);
    // Seeded tags are the vApp's metadata too.
    expect(entries).toEqual([
      ['team', 'blue'],
      ['slipstream.key', 'launch-1 & <more>'],
    ]);
    expect(all.xml.Metadata.MetadataEntry[1].href).toBe(`${vapp.href}/metadata/slipstream.key`);
    expect(sim.vappMetadata(vapp.href.split('/').pop())).toEqual({
      team: 'blue',
      'slipstream.key': 'launch-1 & <more>',
    });
    expect(sim.vappMetadata(`vapp-${vapp.href.split('/vapp-').pop()}`)).toHaveProperty('team', 'blue');
    expect(() => sim.vappMetadata('vapp-00000000-0000-0000-0000-000000000000')).toThrow(RangeError);
    // PUT, GET of the key, GET of the document.
    expect(sim.control.count('metadata')).toBe(3);
  });

  it('merges a Metadata document with POST, keeps typed values, and deletes keys', async () => {
    const merge = await client.call('POST', `${vapp.href}/metadata`, {
      body: `<Metadata xmlns="${VCLOUD}" xmlns:xsi="${XSI}">
        <MetadataEntry><Key>count</Key><TypedValue xsi:type="MetadataNumberValue"><Value>42</Value></TypedValue></MetadataEntry>
        <MetadataEntry><Key>ready</Key><TypedValue xsi:type="MetadataBooleanValue"><Value>TRUE</Value></TypedValue></MetadataEntry>
        <MetadataEntry><Key>team</Key><TypedValue xsi:type="MetadataStringValue"><Value>red</Value></TypedValue></MetadataEntry>
      </Metadata>`,
    });
    expect(merge.status).toBe(202);
    const all = (await client.document(`${vapp.href}/metadata`)).Metadata.MetadataEntry;
    expect(all.map((entry: Xml) => [entry.Key, entry.TypedValue.type, entry.TypedValue.Value])).toEqual([
      ['team', 'MetadataStringValue', 'red'],
      ['count', 'MetadataNumberValue', '42'],
      ['ready', 'MetadataBooleanValue', 'true'],
    ]);
    const removed = await client.call('DELETE', `${vapp.href}/metadata/count`);
    expect(removed.status).toBe(202);
    expect(removed.xml.Task[0].operationName).toBe('metadataDelete');
    const missing = await client.get(`${vapp.href}/metadata/count`);
    expect(missing.status).toBe(404);
    expect(missing.xml.Error).toMatchObject({ majorErrorCode: '404', minorErrorCode: 'RESOURCE_NOT_FOUND' });
    expect((await client.call('DELETE', `${vapp.href}/metadata/count`)).status).toBe(404);
  });

  it('refuses values that are not of their type and documents that are not metadata', async () => {
    for (const body of [
      value('MetadataNumberValue', 'forty'),
      value('MetadataBooleanValue', 'yes'),
      value('MetadataDateTimeValue', 'someday'),
      value('MetadataWhatever', 'x'),
      `<MetadataValue xmlns="${VCLOUD}"/>`,
      `<Metadata xmlns="${VCLOUD}"/>`,
      'not xml',
    ]) {
      const answer = await client.call('PUT', `${vapp.href}/metadata/k`, { body });
      expect(answer.status, body).toBe(400);
      expect(answer.xml.Error.minorErrorCode).toBe('BAD_REQUEST');
    }
    expect(sim.vappMetadata(vapp.href.split('/').pop())).toEqual({ team: 'blue' });
  });

  it('keeps the VM’s metadata apart from the vApp’s, and keys with any characters', async () => {
    const vm = (await client.query({ type: 'vm', filter: 'isVAppTemplate==false' })).VMRecord[0];
    const key = 'a/b c?&é';
    const put = await client.call('PUT', `${vm.href}/metadata/${encodeURIComponent(key)}`, {
      body: value('MetadataStringValue', 'on the VM'),
    });
    expect(put.status).toBe(202);
    expect(put.xml.Task[0].Owner.href).toBe(vm.href);
    const entries = (await client.document(`${vm.href}/metadata`)).Metadata.MetadataEntry;
    expect(entries.map((entry: Xml) => entry.Key)).toEqual([key]);
    expect(entries[0].href).toBe(`${vm.href}/metadata/${encodeURIComponent(key)}`);
    expect((await client.document(entries[0].href)).MetadataValue.TypedValue.Value).toBe('on the VM');
    expect(sim.vappMetadata(vapp.href.split('/').pop())).toEqual({ team: 'blue' });
    // Templates have (empty) metadata too.
    const template = await client.document(`${sim.templates[0]?.href}/metadata`);
    expect(template.Metadata.MetadataEntry).toBeUndefined();
  });
});
