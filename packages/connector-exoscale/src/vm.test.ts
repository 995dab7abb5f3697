import { describe, expect, it } from 'vitest';
import { launchLabels } from './labels.js';
import { isInstanceId, toVm } from './vm.js';

describe('toVm', () => {
  it('maps an API v2 instance to the contract VM', () => {
    const vm = toVm(
      {
        id: '9a1e4b7c-2f3d-4e5a-8b6c-7d8e9f0a1b2c',
        name: 'web-1',
        state: 'running',
        'created-at': '2026-03-01T10:00:00Z',
        'instance-type': { id: 'type-id' },
        template: { id: 'template-id' },
        'public-ip': '198.18.0.7',
        'ipv6-address': '2a04:c43:e00:1234::1',
        labels: launchLabels('key', 1, { role: 'web' }),
      },
      'de-fra-1',
    );
    expect(vm).toEqual({
      id: '9a1e4b7c-2f3d-4e5a-8b6c-7d8e9f0a1b2c',
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
    expect(toVm({ id: 'x', state: 'hibernating' }, 'ch-gva-2')).toMatchObject({
      state: 'unknown',
      rawState: 'hibernating',
      publicIps: [],
      name: '',
      createdAt: undefined,
    });
    expect(toVm({ id: 'x', 'created-at': 'not a date' }, 'ch-gva-2')).toMatchObject({
      state: 'unknown',
      rawState: '',
    });
  });
});

describe('isInstanceId', () => {
  it('accepts UUIDs only', () => {
    expect(isInstanceId('9A1E4B7C-2F3D-4E5A-8B6C-7D8E9F0A1B2C')).toBe(true);
    expect(isInstanceId('vm-1')).toBe(false);
    expect(isInstanceId('9a1e4b7c-2f3d-4e5a-8b6c-7d8e9f0a1b2c/../x')).toBe(false);
  });
});
