import { describe, expect, it } from 'vitest';
import { addressOf } from './addressing.js';

const ZONES = ['ch-gva-2', 'de-fra-1'];

describe('addressOf', () => {
  it('serves the first zone at /v2', () => {
    expect(addressOf('/v2/instance', '127.0.0.1:8080', ZONES)).toEqual({
      kind: 'api',
      zone: 'ch-gva-2',
      path: '/instance',
    });
    expect(addressOf('/v2', undefined, ZONES)).toEqual({ kind: 'api', zone: 'ch-gva-2', path: '/' });
  });

  it('takes the zone from a path prefix, then from the real API host name', () => {
    expect(addressOf('/de-fra-1/v2/zone', '127.0.0.1', ZONES)).toMatchObject({
      zone: 'de-fra-1',
      path: '/zone',
    });
    expect(addressOf('/v2/zone', 'api-de-fra-1.exoscale.com', ZONES)).toMatchObject({ zone: 'de-fra-1' });
    expect(addressOf('/v2/zone', 'API-DE-FRA-1.exoscale.com:443', ZONES)).toMatchObject({ zone: 'de-fra-1' });
  });

  it('tells an unknown zone from a path outside the API', () => {
    expect(addressOf('/at-vie-9/v2/zone', undefined, ZONES)).toEqual({
      kind: 'unknown-zone',
      zone: 'at-vie-9',
    });
    expect(addressOf('/v2/zone', 'api-at-vie-9.exoscale.com', ZONES)).toEqual({
      kind: 'unknown-zone',
      zone: 'at-vie-9',
    });
    expect(addressOf('/v1/zone', undefined, ZONES)).toEqual({ kind: 'outside' });
    expect(addressOf('/v2x', undefined, ZONES)).toEqual({ kind: 'outside' });
  });
});
