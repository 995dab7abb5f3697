import { CLOUDSTACK_CATALOG } from '@slipstream/cloud-simulators/cloudstack';
import { ConnectorError } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pick } from './catalog.js';
import { type Rig, startRig, ZONE_A } from './testing/fixtures.js';

describe('CloudStack catalog', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  it('lists templates from the executable and featured filters, once each, zone-bound ones with their zone', async () => {
    rig.sim.control.clearRequests();
    const images = await rig.session.listImages();
    expect(rig.sim.control.count('listTemplates')).toBe(2);
    expect(images.map((image) => image.id).sort()).toEqual(
      CLOUDSTACK_CATALOG.images.map((image) => image.id).sort(),
    );
    const own = images.find((image) => image.name === 'web-base-2026');
    expect(own).toMatchObject({
      zone: ZONE_A.id,
      description: 'Account template: Ubuntu 24.04 with nginx',
      os: 'Ubuntu 24.04 LTS',
    });
    expect(images.find((image) => image.name === 'Debian 12')?.zone).toBeUndefined();
  });

  it('lists offerings as sizes and zones as zones', async () => {
    expect(await rig.session.listSizes()).toEqual(
      CLOUDSTACK_CATALOG.sizes.map((size) => ({
        id: size.id,
        name: size.name,
        cpus: size.cpus,
        memoryMb: size.memoryMb,
      })),
    );
    expect(await rig.session.listZones()).toEqual(
      CLOUDSTACK_CATALOG.zones.map((zone) => ({ id: zone.id, name: zone.name, available: true })),
    );
  });
});

describe('pick', () => {
  const items = [
    { id: 'a', name: 'Ubuntu' },
    { id: 'b', name: 'Debian' },
    { id: 'c', name: 'Debian' },
  ];

  it('finds by id first, then by exact name', () => {
    expect(pick(items, 'b', 'template')).toBe(items[1]);
    expect(pick(items, 'Ubuntu', 'template')).toBe(items[0]);
  });

  it('refuses an ambiguous name, listing the ids', () => {
    const error = (() => {
      try {
        return pick(items, 'Debian', 'template');
      } catch (e) {
        return e;
      }
    })();
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toBe(
      'Template "Debian" is ambiguous: 2 have that name (b, c); use the id.',
    );
  });

  it('refuses an unknown name, listing what there is', () => {
    expect(() => pick(items, 'Arch', 'template', ' in zone "Z"')).toThrow(
      'There is no template "Arch" in zone "Z"; choose one of "Ubuntu", "Debian", "Debian".',
    );
    expect(() => pick([], 'x', 'zone')).toThrow('There is no zone "x"; the cloud offers none.');
  });
});
