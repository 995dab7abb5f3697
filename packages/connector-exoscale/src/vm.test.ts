import { launchTags, WireReader } from '@slipstream/connector-core';
import { captureLogs } from '@slipstream/connector-testkit';
import { describe, expect, it } from 'vitest';
import type { ApiRequest, ExoscaleClient } from './client.js';
import type { SessionContext } from './context.js';
import { describeInstances, isInstanceId, readInstance, toVms } from './vm.js';

const ID = '9a1e4b7c-2f3d-4e5a-8b6c-7d8e9f0a1b2c';

describe('readInstance', () => {
  it('maps an API v2 instance to the contract VM, without the launch tags', () => {
    const vm = readInstance(
      new WireReader({
        id: ID,
        name: 'web-1',
        state: 'running',
        'created-at': '2026-03-01T10:00:00Z',
        'instance-type': { id: 'type-id' },
        template: { id: 'template-id' },
        'public-ip': '198.18.0.7',
        'ipv6-address': '2a04:c43:e00:1234::1',
        labels: launchTags('key', 1, { role: 'web' }),
      }),
      'de-fra-1',
    );
    expect(vm).toEqual({
      id: ID,
      name: 'web-1',
      state: 'running',
      rawState: 'running',
      publicIps: ['198.18.0.7', '2a04:c43:e00:1234::1'],
      privateIps: [],
      image: 'template-id',
      size: 'type-id',
      zone: 'de-fra-1',
      createdAt: '2026-03-01T10:00:00.000Z',
      tags: { role: 'web' },
    });
  });

  it('keeps an unknown or missing state as unknown, with the raw state', () => {
    expect(readInstance(new WireReader({ id: 'x', state: 'hibernating' }), 'ch-gva-2')).toMatchObject({
      state: 'unknown',
      rawState: 'hibernating',
      publicIps: [],
      name: '',
      createdAt: undefined,
    });
    expect(readInstance(new WireReader({ id: 'x', 'created-at': 'not a date' }), 'ch-gva-2')).toMatchObject({
      state: 'unknown',
      rawState: '',
    });
  });

  it('reads a numeric id as its decimal string', () => {
    const wire = new WireReader({ id: 12065, name: 'old', state: 'running' });
    expect(readInstance(wire, 'ch-gva-2')).toMatchObject({ id: '12065', state: 'running' });
    expect(wire.unread).toEqual([]);
  });
});

describe('toVms', () => {
  const instance = (id: unknown, extra: Record<string, unknown> = {}) => ({
    id,
    name: `vm-${String(id)}`,
    state: 'running',
    ...extra,
  });

  it('keeps every readable instance of a listing and shows a malformed one in state unknown, with one warning', () => {
    const { logger, entries } = captureLogs();
    const malformed = '1b2c3d4e-0000-4000-8000-000000000002';
    const vms = toVms(
      [
        instance('1b2c3d4e-0000-4000-8000-000000000001', { labels: { role: 'web' } }),
        // A label value that is not a string, and a public IP that is not one either.
        instance(malformed, { labels: { role: 7 }, 'public-ip': 42 }),
        instance(4711),
      ],
      'ch-gva-2',
      logger,
      'list-instances',
    );
    expect(vms.map((vm) => [vm.id, vm.state])).toEqual([
      ['1b2c3d4e-0000-4000-8000-000000000001', 'running'],
      [malformed, 'unknown'],
      ['4711', 'running'],
    ]);
    expect(vms[0]?.tags).toEqual({ role: 'web' });
    // What could be read is kept: the raw state and the name.
    expect(vms[1]).toMatchObject({ name: `vm-${malformed}`, rawState: 'running', publicIps: [] });
    const warnings = entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ listing: 'Exoscale list-instances', vms: [malformed] });
    expect([...((warnings[0]?.fields.fields ?? []) as string[])].sort()).toEqual([
      'labels.role',
      'public-ip',
    ]);
    expect(warnings[0]?.message).toContain('public-ip');
  });

  it('leaves out an instance without a readable id, saying so', () => {
    const { logger, entries } = captureLogs();
    const vms = toVms([instance(ID), { name: 'no-id', state: 'running' }, 'junk'], 'ch-gva-2', logger, 'x');
    expect(vms.map((vm) => vm.id)).toEqual([ID]);
    expect(entries.filter((entry) => entry.level === 'warn')).toHaveLength(1);
    expect(entries[0]?.fields).toMatchObject({ leftOut: 2 });
  });

  it('logs nothing for a listing it reads whole', () => {
    const { logger, entries } = captureLogs();
    expect(toVms([instance(ID, { labels: launchTags('k', 1, undefined) })], 'z', logger, 'x')).toMatchObject([
      { id: ID, tags: {} },
    ]);
    expect(entries).toEqual([]);
  });
});

describe('describeInstances', () => {
  const A = '1b2c3d4e-0000-4000-8000-00000000000a';
  const B = '1b2c3d4e-0000-4000-8000-00000000000b';
  /** A session whose list-instances answers `instances`. */
  const contextOf = (instances: unknown[]) => {
    const { logger, entries } = captureLogs();
    const requests: ApiRequest[] = [];
    const client = {
      async json(request: ApiRequest) {
        requests.push(request);
        return { instances };
      },
    } as unknown as ExoscaleClient;
    const context = { client, logger, settings: { zone: 'ch-gva-2' } } as unknown as SessionContext;
    return { context, entries, requests };
  };
  const listing = [
    { id: A, name: 'a', state: 'running' },
    { id: B, name: 'b', state: 'stopped', 'instance-type': 'standard.micro' },
    { id: 12065, name: 'numeric', state: 'running' },
  ];

  it('lists a zone with one odd instance instead of failing, reading a numeric id as a string', async () => {
    const { context, entries } = contextOf(listing);
    const vms = await describeInstances(context, undefined, undefined);
    expect(vms.map((vm) => [vm.id, vm.state, vm.rawState])).toEqual([
      [A, 'running', 'running'],
      [B, 'unknown', 'stopped'],
      ['12065', 'running', 'running'],
    ]);
    expect(entries.filter((entry) => entry.level === 'warn').map((entry) => entry.fields.fields)).toEqual([
      ['instance-type'],
    ]);
  });

  it('reads only the instances asked for, so an odd one nobody asked about warns nobody', async () => {
    const { context, entries, requests } = contextOf(listing);
    const vms = await describeInstances(
      context,
      [A.toUpperCase(), '1b2c3d4e-0000-4000-8000-0000000000ff', 'not-a-uuid'],
      undefined,
    );
    expect(vms.map((vm) => vm.id)).toEqual([A]);
    expect(requests.map((request) => request.operation)).toEqual(['list-instances']);
    expect(entries).toEqual([]);
  });
});

describe('isInstanceId', () => {
  it('accepts UUIDs only', () => {
    expect(isInstanceId('9A1E4B7C-2F3D-4E5A-8B6C-7D8E9F0A1B2C')).toBe(true);
    expect(isInstanceId('vm-1')).toBe(false);
    expect(isInstanceId('9a1e4b7c-2f3d-4e5a-8b6c-7d8e9f0a1b2c/../x')).toBe(false);
  });
});
