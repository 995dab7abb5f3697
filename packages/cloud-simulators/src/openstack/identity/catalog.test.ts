import { describe, expect, it } from 'vitest';
import { renderCatalog } from './catalog.js';

describe('renderCatalog', () => {
  it('lists each service under three interfaces with stable ids, substituting ids into URLs as Keystone does', () => {
    const services = [
      { type: 'compute', name: 'nova', url: 'http://h/v2.1/$(project_id)s' },
      { type: 'object-store', name: 'swift', url: 'http://h/v1/AUTH_%(tenant_id)s' },
    ];
    const scope = { projectId: 'p1', userId: 'u1' };
    const [compute, swift] = renderCatalog(services, 'RegionTwo', scope);
    expect(
      compute?.endpoints.map((endpoint) => [endpoint.interface, endpoint.url, endpoint.region_id]),
    ).toEqual([
      ['public', 'http://h/v2.1/p1', 'RegionTwo'],
      ['internal', 'http://h/v2.1/p1', 'RegionTwo'],
      ['admin', 'http://h/v2.1/p1', 'RegionTwo'],
    ]);
    expect(swift?.endpoints[0]?.url).toBe('http://h/v1/AUTH_p1');
    expect(renderCatalog(services, 'RegionTwo', scope)[0]?.endpoints[0]?.id).toBe(compute?.endpoints[0]?.id);
    expect(compute?.id).toMatch(/^[0-9a-f]{32}$/);
  });
});
