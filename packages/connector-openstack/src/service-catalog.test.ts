import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import {
  CatalogEndpoints,
  type CatalogService,
  FixedEndpoints,
  findEndpoint,
  parseCatalog,
} from './service-catalog.js';

const endpoint = (iface: string, region: string, url: string) => ({
  id: `${iface}-${region}`,
  interface: iface,
  region,
  region_id: region,
  url,
});

const CATALOG: CatalogService[] = [
  {
    type: 'compute',
    name: 'nova',
    endpoints: [
      endpoint('public', 'RegionOne', 'https://nova.one/v2.1/p1/'),
      endpoint('internal', 'RegionOne', 'http://nova.internal/v2.1/p1'),
      endpoint('public', 'RegionTwo', 'https://nova.two/v2.1/p1'),
    ],
  },
  {
    type: 'compute',
    name: 'nova_legacy',
    endpoints: [endpoint('public', 'RegionTwo', 'https://legacy.two/v2/p1')],
  },
  { type: 'image', name: 'glance', endpoints: [endpoint('public', 'RegionOne', 'https://glance.one')] },
  {
    type: 'identity',
    name: 'keystone',
    endpoints: [endpoint('public', 'RegionOne', 'https://keystone.one/v3')],
  },
];

function failure(run: () => unknown): ConnectorError {
  try {
    run();
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('findEndpoint', () => {
  it('finds the public endpoint of a type in a region, trailing slash dropped', () => {
    expect(findEndpoint(CATALOG, { type: 'compute' }, 'RegionOne', 'public')).toBe(
      'https://nova.one/v2.1/p1',
    );
    expect(findEndpoint(CATALOG, { type: 'compute' }, 'RegionOne', 'internal')).toBe(
      'http://nova.internal/v2.1/p1',
    );
    expect(findEndpoint(CATALOG, { type: 'image' }, 'RegionOne', 'public')).toBe('https://glance.one');
  });

  it('uses the service name to choose between services of one type', () => {
    const ambiguous = failure(() => findEndpoint(CATALOG, { type: 'compute' }, 'RegionTwo', 'public'));
    expect(ambiguous.code).toBe('CONFIG_INVALID');
    expect(ambiguous.message).toContain('services nova, nova_legacy');
    expect(findEndpoint(CATALOG, { type: 'compute', name: 'nova' }, 'RegionTwo', 'public')).toBe(
      'https://nova.two/v2.1/p1',
    );
  });

  it('says which regions, names or types the catalog offers when nothing matches', () => {
    expect(
      failure(() => findEndpoint(CATALOG, { type: 'compute' }, 'RegionThree', 'public')).message,
    ).toContain('its public endpoints are in the regions RegionOne, RegionTwo');
    expect(
      failure(() => findEndpoint(CATALOG, { type: 'compute', name: 'ecs' }, 'RegionOne', 'public')).message,
    ).toContain('services of type "compute" are named nova, nova_legacy');
    expect(
      failure(() => findEndpoint(CATALOG, { type: 'network' }, 'RegionOne', 'public')).message,
    ).toContain('it offers the service types compute, identity, image');
  });

  it('reads the deprecated region field when region_id is absent', () => {
    const catalog = parseCatalog([
      { type: 'compute', endpoints: [{ interface: 'public', region: 'R', url: 'http://x/v2.1' }] },
    ]);
    expect(findEndpoint(catalog, { type: 'compute' }, 'R', 'public')).toBe('http://x/v2.1');
  });
});

describe('parseCatalog', () => {
  it('drops malformed entries instead of failing', () => {
    expect(
      parseCatalog([
        null,
        { type: 1 },
        { type: 'image', endpoints: [{ url: 'u' }, { interface: 'public', url: 'v' }] },
      ]),
    ).toEqual([{ type: 'image', endpoints: [{ interface: 'public', url: 'v' }] }]);
    expect(parseCatalog('nope')).toEqual([]);
  });
});

describe('CatalogEndpoints and FixedEndpoints', () => {
  it('look up each service kind', async () => {
    const resolver = new CatalogEndpoints(
      { catalog: async () => CATALOG },
      { region: 'RegionOne', compute: { type: 'compute' } },
    );
    expect(await resolver.endpoint('compute')).toBe('https://nova.one/v2.1/p1');
    expect(await resolver.endpoint('image')).toBe('https://glance.one');
    await expect(resolver.endpoint('network')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const fixed = new FixedEndpoints({ compute: 'https://ecs/v2.1/p/', image: 'https://ims' });
    expect(await fixed.endpoint('compute')).toBe('https://ecs/v2.1/p');
    await expect(fixed.endpoint('network')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
