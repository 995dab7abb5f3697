import { describe, expect, it } from 'vitest';
import { INTERNAL_TAGS, isPrivateAddress, toVm } from './vm.js';

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
      { key: INTERNAL_TAGS.idempotencyKey, value: 'k1' },
      { key: INTERNAL_TAGS.launchIndex, value: '1' },
    ],
  };

  it('maps CloudStack fields to the VM model', () => {
    expect(toVm(raw)).toEqual({
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
  });

  it('turns numeric ids into strings and copes with missing fields', () => {
    const vm = toVm({ id: 42, name: 'host', state: 'Hibernating', templateid: 7 });
    expect(vm).toMatchObject({
      id: '42',
      name: 'host',
      state: 'unknown',
      rawState: 'Hibernating',
      image: '7',
    });
    expect(vm.publicIps).toEqual([]);
    expect(vm.createdAt).toBeUndefined();
    expect(toVm({}).id).toBe('');
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['169.254.1.1', true],
    ['8.8.8.8', false],
    ['fd12::1', true],
    ['fe80::1', true],
    ['2001:db8::1', false],
  ])('%s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
