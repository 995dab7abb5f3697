import { describe, expect, it } from 'vitest';
import { Microversion, negotiate, versionHeaders } from './microversion.js';

describe('Nova microversion negotiation', () => {
  const version = (headers: Record<string, string>) => {
    const negotiated = negotiate(headers);
    return negotiated.kind === 'ok' ? negotiated.version.toString() : negotiated;
  };

  it('defaults to 2.1, maps latest to 2.93, and prefers OpenStack-API-Version over the legacy header', () => {
    expect(version({})).toBe('2.1');
    expect(version({ 'openstack-api-version': 'compute latest' })).toBe('2.93');
    expect(version({ 'x-openstack-nova-api-version': '2.47' })).toBe('2.47');
    expect(version({ 'openstack-api-version': 'compute 2.60', 'x-openstack-nova-api-version': '2.47' })).toBe(
      '2.60',
    );
    expect(version({ 'openstack-api-version': 'volume 3.0, compute 2.5' })).toBe('2.5');
  });

  it('refuses malformed versions (400) and versions outside 2.1–2.93 (406)', () => {
    expect(version({ 'x-openstack-nova-api-version': '2.01' })).toMatchObject({ kind: 'malformed' });
    expect(version({ 'x-openstack-nova-api-version': 'two' })).toMatchObject({
      kind: 'malformed',
      message: 'API Version String two is of invalid format. Must be of format MajorNum.MinorNum.',
    });
    expect(version({ 'x-openstack-nova-api-version': '2.94' })).toMatchObject({ kind: 'unsupported' });
    expect(version({ 'x-openstack-nova-api-version': '2.0' })).toMatchObject({
      kind: 'unsupported',
      message: 'Version 2.0 is not supported by the API. Minimum is 2.1 and maximum is 2.93.',
    });
  });

  it('compares versions numerically, not as text', () => {
    const v = Microversion.parse('2.10') as Microversion;
    expect(v.atLeast('2.9')).toBe(true);
    expect(v.atLeast('2.10')).toBe(true);
    expect(v.atLeast('2.11')).toBe(false);
    expect(versionHeaders(v)).toMatchObject({
      'openstack-api-version': 'compute 2.10',
      'x-openstack-nova-api-version': '2.10',
    });
  });
});
