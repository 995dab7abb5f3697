import { describe, expect, it } from 'vitest';
import { splitAddresses } from './addresses.js';
import { novaServer } from './testing/stub.js';
import { flavorNamesOf, toVm } from './vm.js';
import type { NovaServer } from './wire.js';

describe('toVm', () => {
  it('reads a 2.47 server: embedded flavor by id, image, zone, created, user tags only', () => {
    const server = novaServer('s1', {
      metadata: { env: 'test', 'slipstream-idempotency-key': 'k', 'slipstream-launch-index': '1' },
    }) as unknown as NovaServer;
    expect(toVm(server, new Map([['m1.small', '2']]), undefined)).toEqual({
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
    expect(flavorNamesOf([server])).toEqual(new Set(['m1.small']));
  });

  it('reads older shapes and gaps: flavor id, volume-booted image, unknown flavor name', () => {
    const old = novaServer('s2', {
      flavor: { id: '42', links: [] },
      image: '',
      'OS-EXT-AZ:availability_zone': '',
    });
    const vm = toVm(old as unknown as NovaServer, new Map(), undefined);
    expect(vm).toMatchObject({ size: '42', image: undefined, zone: undefined });
    const gone = toVm(novaServer('s3') as unknown as NovaServer, new Map(), undefined);
    expect(gone.size).toBe('m1.small');
    const bare = toVm({ id: 's4' }, new Map(), undefined);
    expect(bare).toMatchObject({
      name: '',
      state: 'unknown',
      rawState: '',
      tags: {},
      publicIps: [],
      privateIps: [],
    });
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
