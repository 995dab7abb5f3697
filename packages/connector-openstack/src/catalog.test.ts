import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlavorCache, listImages, listZones, toImage, toSize } from './catalog.js';
import { type Stub, startStub, stubClient } from './testing/stub.js';

let stub: Stub;
beforeAll(async () => {
  stub = await startStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

describe('images', () => {
  it('lists active images only, with the OS from os_distro and os_version', async () => {
    stub.handle(() => ({
      body: {
        images: [
          {
            id: 'i1',
            name: 'Ubuntu 24.04',
            status: 'active',
            os_distro: 'ubuntu',
            os_version: '24.04',
            visibility: 'public',
          },
          { id: 'i2', name: 'being uploaded', status: 'queued' },
          { id: 'i3', name: null, status: 'active', description: 'no name' },
        ],
      },
    }));
    const images = (await listImages(stubClient(stub))).map(toImage);
    expect(images).toEqual([
      { id: 'i1', name: 'Ubuntu 24.04', os: 'ubuntu 24.04' },
      { id: 'i3', name: '', description: 'no name' },
    ]);
  });
});

describe('flavors', () => {
  const flavors = [
    { id: '1', name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 },
    { id: '2', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
    { id: '9', name: 'retired', vcpus: 1, ram: 1, disk: 1, 'OS-FLV-DISABLED:disabled': true },
  ];

  it('lists enabled flavors as sizes', async () => {
    stub.handle(() => ({ body: { flavors } }));
    const sizes = (await new FlavorCache(stubClient(stub)).all()).map(toSize);
    expect(sizes).toEqual([
      { id: '1', name: 'm1.tiny', cpus: 1, memoryMb: 512, diskGb: 1 },
      { id: '2', name: 'm1.small', cpus: 1, memoryMb: 2048, diskGb: 20 },
    ]);
    expect(stub.requests[0]?.path).toBe('/compute/v2.1/flavors/detail');
  });

  it('lists once, and again for an unknown name only after a minute', async () => {
    stub.handle(() => ({ body: { flavors } }));
    let now = 0;
    const cache = new FlavorCache(stubClient(stub), () => now);
    expect(await cache.idsByName(new Set(['m1.small', 'gone']))).toEqual(new Map([['m1.small', '2']]));
    expect(await cache.find('m1.tiny')).toMatchObject({ id: '1' });
    expect(await cache.find('2')).toMatchObject({ name: 'm1.small' });
    expect(stub.requests).toHaveLength(1);
    now += 60_000;
    expect(await cache.idsByName(new Set(['gone']))).toEqual(new Map());
    expect(stub.requests).toHaveLength(2);
    expect(await cache.idsByName(new Set())).toEqual(new Map());
    expect(stub.requests).toHaveLength(2);
    await cache.fresh();
    expect(stub.requests).toHaveLength(3);
  });

  it('does not keep a failed listing', async () => {
    stub.handle(() => ({
      status: 403,
      body: { forbidden: { code: 403, message: 'Policy does not allow' } },
    }));
    const cache = new FlavorCache(stubClient(stub));
    await expect(cache.all()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    stub.handle(() => ({ body: { flavors } }));
    expect(await cache.all()).toHaveLength(2);
  });
});

describe('zones', () => {
  it('lists availability zones by name', async () => {
    stub.handle(() => ({
      body: {
        availabilityZoneInfo: [
          { zoneName: 'nova', zoneState: { available: true }, hosts: null },
          { zoneName: 'az-2', zoneState: { available: false }, hosts: null },
          { zoneState: { available: true } },
        ],
      },
    }));
    expect(await listZones(stubClient(stub))).toEqual([
      { id: 'nova', name: 'nova', available: true },
      { id: 'az-2', name: 'az-2', available: false },
    ]);
    stub.handle(() => ({ body: {} }));
    await expect(listZones(stubClient(stub))).rejects.toMatchObject({ code: 'CLOUD_ERROR' });
  });
});
