import { WireReader } from '@slipstream/connector-core';
import { captureLogs } from '@slipstream/connector-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { splitAddresses } from './addresses.js';
import { novaServer, type Stub, startStub, stubClient, stubContext } from './testing/stub.js';
import { findServers, flavorNamesOf, listServers, toVm, toVms } from './vm.js';

describe('toVm', () => {
  it('reads a 2.47 server: embedded flavor by id, image, zone, created, user tags only', () => {
    const server = novaServer('s1', {
      metadata: { env: 'test', 'slipstream-idempotency-key': 'k', 'slipstream-launch-index': '1' },
    });
    const wire = new WireReader(server);
    expect(toVm(wire, new Map([['m1.small', '2']]), undefined)).toEqual({
      id: 's1',
      name: 'server-s1',
      state: 'running',
      rawState: 'ACTIVE',
      publicIps: [],
      privateIps: ['10.0.0.5'],
      image: '70a599e0-31e7-49b7-b260-868f441e862b',
      size: '2',
      zone: 'nova',
      createdAt: '2026-11-27T10:00:00Z',
      tags: { env: 'test' },
    });
    expect(wire.unread).toEqual([]);
    expect(flavorNamesOf([server])).toEqual(new Set(['m1.small']));
  });

  it('reads older shapes and gaps: flavor id, volume-booted image, unknown flavor name', () => {
    const old = new WireReader(
      novaServer('s2', { flavor: { id: '42', links: [] }, image: '', 'OS-EXT-AZ:availability_zone': '' }),
    );
    expect(toVm(old, new Map(), undefined)).toMatchObject({ size: '42', image: undefined, zone: undefined });
    expect(old.unread).toEqual([]);
    const gone = toVm(new WireReader(novaServer('s3')), new Map(), undefined);
    expect(gone.size).toBe('m1.small');
    const bare = toVm(new WireReader({ id: 's4' }), new Map(), undefined);
    expect(bare).toMatchObject({
      name: '',
      state: 'unknown',
      rawState: '',
      tags: {},
      publicIps: [],
      privateIps: [],
    });
  });

  it('reads numeric ids as their decimal strings, and notes the fields it cannot read', () => {
    const numeric = new WireReader(novaServer('x', { id: 12065, flavor: { id: 7, links: [] } }));
    expect(toVm(numeric, new Map(), undefined)).toMatchObject({ id: '12065', size: '7', state: 'running' });
    expect(numeric.unread).toEqual([]);
    const odd = new WireReader(novaServer('s5', { status: 3, addresses: { private: 'x' }, image: 'abc' }));
    expect(toVm(odd, new Map(), undefined)).toMatchObject({ id: 's5', name: 'server-s5', privateIps: [] });
    expect(odd.unread).toEqual(['status', 'addresses.private', 'image']);
  });
});

describe('listing servers tolerantly', () => {
  let stub: Stub;
  let servers: unknown[];
  beforeAll(async () => {
    stub = await startStub((request) => {
      if (request.path === '/compute/v2.1/servers/detail') return { body: { servers } };
      if (request.path === '/compute/v2.1/flavors/detail') {
        return { body: { flavors: [{ id: '2', name: 'm1.small' }] } };
      }
      return { status: 404, body: 'no route' };
    });
  });
  afterAll(() => stub.close());
  beforeEach(() => {
    stub.requests.length = 0;
  });

  it('returns a server Nova lists with "id": 12065 under id "12065"', async () => {
    servers = [novaServer('ignored', { id: 12065 })];
    const vms = await toVms(stubContext(stub), await listServers(stubClient(stub)));
    expect(vms).toMatchObject([{ id: '12065', state: 'running', size: '2' }]);
    expect(
      (
        await findServers(
          stubClient(stub),
          Array.from({ length: 21 }, (_, i) => String(12045 + i)),
        )
      ).length,
    ).toBe(1);
  });

  it('keeps a malformed server in state unknown, leaves out one without an id, and warns once', async () => {
    servers = [
      novaServer('a'),
      novaServer('b', { status: { code: 'ACTIVE' }, metadata: { env: 'x', count: 3 } }),
      { name: 'no id', status: 'ACTIVE' },
      'not a server',
      novaServer('c', { status: 'SHUTOFF' }),
    ];
    const { logger, entries } = captureLogs();
    const vms = await toVms({ ...stubContext(stub), logger }, await listServers(stubClient(stub)));
    expect(vms.map((vm) => [vm.id, vm.state])).toEqual([
      ['a', 'running'],
      ['b', 'unknown'],
      ['c', 'stopped'],
    ]);
    // What could be read is kept.
    expect(vms[1]).toMatchObject({ name: 'server-b', privateIps: ['10.0.0.5'], tags: { env: 'x' } });
    const warnings = entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ vms: ['b'], leftOut: 2 });
    expect(warnings[0]?.fields.fields).toEqual(expect.arrayContaining(['status', 'metadata.count']));
  });
});

describe('splitAddresses', () => {
  it('puts floating, provider and public-network addresses in public, RFC 1918 and ULA in private', () => {
    expect(
      splitAddresses(
        {
          private: [
            { addr: '10.0.0.5', 'OS-EXT-IPS:type': 'fixed', version: 4 },
            { addr: '203.0.113.7', 'OS-EXT-IPS:type': 'floating', version: 4 },
            { addr: 'fd00::5', version: 6 },
          ],
          provider: [
            { addr: '198.51.100.9', version: 4 },
            { addr: '2001:db8::9', version: 6 },
          ],
          ext: [{ addr: '192.168.50.2', version: 4 }],
          junk: [{ addr: 'not an ip' }, null as never],
        },
        'ext',
      ),
    ).toEqual({
      publicIps: ['203.0.113.7', '198.51.100.9', '2001:db8::9', '192.168.50.2'],
      privateIps: ['10.0.0.5', 'fd00::5'],
    });
    expect(splitAddresses(undefined, undefined)).toEqual({ publicIps: [], privateIps: [] });
  });
});
