import { LAUNCH_TAGS, silentLogger, WireReader } from '@slipstream/connector-core';
import { captureLogs } from '@slipstream/connector-testkit';
import { describe, expect, it } from 'vitest';
import type { CloudStackClient, Json, Listing } from './client.js';
import { describeVms, LEGACY_LAUNCH_TAGS, toVm, toVms } from './vm.js';

describe('toVm', () => {
  const raw = {
    id: 'vm-1',
    name: 'VM-5e1f',
    displayname: 'web server',
    state: 'Running',
    created: '2026-01-02T03:04:05+0000',
    zoneid: 'z',
    templateid: 't',
    serviceofferingid: 'o',
    publicip: '198.51.100.7',
    nic: [
      { ipaddress: '10.1.1.5', isdefault: true },
      { ipaddress: '203.0.113.9', ip6address: 'fd00::5' },
      { ipaddress: 'not-an-ip' },
    ],
    tags: [
      { key: 'env', value: 'prod', resourcetype: 'UserVm' },
      { key: LAUNCH_TAGS.idempotencyKey, value: 'k1' },
      { key: LAUNCH_TAGS.launchIndex, value: '1' },
      // Written by connector versions before core's spelling: hidden as well.
      { key: LEGACY_LAUNCH_TAGS.idempotencyKey, value: 'k0' },
      { key: LEGACY_LAUNCH_TAGS.launchIndex, value: '1' },
    ],
  };

  it('maps CloudStack fields to the VM model', () => {
    const wire = new WireReader(raw);
    expect(toVm(wire)).toEqual({
      id: 'vm-1',
      name: 'web server',
      state: 'running',
      rawState: 'Running',
      publicIps: ['198.51.100.7', '203.0.113.9'],
      privateIps: ['10.1.1.5', 'fd00::5'],
      image: 't',
      size: 'o',
      zone: 'z',
      createdAt: '2026-01-02T03:04:05.000Z',
      tags: { env: 'prod' },
    });
    expect(wire.unread).toEqual([]);
  });

  it('reads numeric ids as their decimal strings, and copes with missing fields', () => {
    const wire = new WireReader({ id: 42, name: 'host', state: 'Hibernating', templateid: 7 });
    const vm = toVm(wire);
    expect(vm).toMatchObject({
      id: '42',
      name: 'host',
      state: 'unknown',
      rawState: 'Hibernating',
      image: '7',
    });
    expect(vm.publicIps).toEqual([]);
    expect(vm.createdAt).toBeUndefined();
    expect(wire.unread).toEqual([]);
  });
});

describe('toVms', () => {
  const good = { id: 'vm-1', displayname: 'good', state: 'Running', nic: [{ ipaddress: '10.0.0.1' }] };

  it('keeps the other VMs when one has a malformed field, shows that one unknown, and warns naming the field', () => {
    const { logger, entries } = captureLogs();
    const vms = toVms(
      [
        good,
        { id: 'vm-2', displayname: 'odd nic', state: 'Running', nic: { ipaddress: '10.0.0.2' } },
        { id: 'vm-3', displayname: 'odd state', state: 3 },
        { displayname: 'no id', state: 'Running' },
      ],
      logger,
    );
    expect(vms.map((vm) => [vm.id, vm.name, vm.state])).toEqual([
      ['vm-1', 'good', 'running'],
      ['vm-2', 'odd nic', 'unknown'],
      ['vm-3', 'odd state', 'unknown'],
    ]);
    // What could be read is kept: the odd-nic VM's raw state.
    expect(vms[1]?.rawState).toBe('Running');
    const warnings = entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({
      listing: 'CloudStack listVirtualMachines',
      fields: ['nic', 'state', 'id'],
      vms: ['vm-2', 'vm-3'],
      leftOut: 1,
    });
    expect(warnings[0]?.message).toContain('nic, state');
  });

  it('warns about nothing when every VM reads', () => {
    const { logger, entries } = captureLogs();
    expect(toVms([good, { ...good, id: 17 }], logger).map((vm) => vm.id)).toEqual(['vm-1', '17']);
    expect(entries.filter((entry) => entry.level === 'warn')).toEqual([]);
  });
});

describe('describeVms', () => {
  /** A client whose listVirtualMachines answers `items`, whatever the filter. */
  const listing = (items: Json[]) =>
    ({
      async list(): Promise<Listing> {
        return { items, count: items.length };
      },
    }) as unknown as CloudStackClient;

  it('lists the account, a malformed VM in state unknown among the others', async () => {
    const { logger, entries } = captureLogs();
    const vms = await describeVms(
      listing([
        { id: 'a', displayname: 'a', state: 'Stopped' },
        { id: 'b', displayname: 'b', state: 'Running', nic: 'eth0' },
        { id: 12065, displayname: 'c', state: 'Running' },
      ]),
      undefined,
      logger,
      {},
    );
    expect(vms.map((vm) => [vm.id, vm.state])).toEqual([
      ['a', 'stopped'],
      ['b', 'unknown'],
      ['12065', 'running'],
    ]);
    expect(entries.filter((entry) => entry.level === 'warn').map((entry) => entry.fields.fields)).toEqual([
      ['nic'],
    ]);
  });

  it('returns the asked ids in their order, a numeric id found by its decimal string', async () => {
    const vms = await describeVms(
      listing([
        { id: 7, displayname: 'seven', state: 'Running' },
        { id: 'x', displayname: 'x', state: 'Running' },
      ]),
      ['x', '7', 'missing'],
      silentLogger,
      {},
    );
    expect(vms.map((vm) => vm.name)).toEqual(['x', 'seven']);
  });
});
