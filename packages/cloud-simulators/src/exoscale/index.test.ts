import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXOSCALE_INSTANCE_TYPES, EXOSCALE_TEMPLATES } from './catalog.js';
import { type RunningExoscale, startExoscale } from './index.js';
import { exoscaleFetch } from './test-client.js';

// The simulator over HTTP, driven by a bare signed client: what any Exoscale client would see,
// faults included.
describe('startExoscale', () => {
  let sim: RunningExoscale;
  const api = (path: string, options?: Parameters<typeof exoscaleFetch>[3]) =>
    exoscaleFetch(`${sim.url}/v2`, path, sim.credentials, options);
  const createBody = {
    name: 'http-1',
    'instance-type': { id: EXOSCALE_INSTANCE_TYPES[0]?.id },
    template: { id: EXOSCALE_TEMPLATES[0]?.id },
    'disk-size': 10,
  };

  beforeAll(async () => {
    sim = await startExoscale({ bootDelayMs: 50, haltDelayMs: 50 });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.control.clearFaults();
    sim.control.clearRequests();
  });

  it('serves the API v2 at <url>/v2 with JSON answers, logging operation ids', async () => {
    const answer = await api('/instance-type');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body['instance-types']).toHaveLength(EXOSCALE_INSTANCE_TYPES.length);
    expect(sim.control.requests).toMatchObject([
      { method: 'GET', path: '/v2/instance-type', operation: 'list-instance-types', status: 200, faults: [] },
    ]);
  });

  it("answers an injected 5xx with Exoscale's error body", async () => {
    sim.control.failWithStatus(503, {
      match: 'list-templates',
      message: 'Endpoint template temporarily unavailable',
    });
    const answer = await api('/template');
    expect(answer).toMatchObject({
      status: 503,
      body: { message: 'Endpoint template temporarily unavailable' },
    });
    expect((await api('/template')).status).toBe(200);
  });

  it('rate limits with 429, a Retry-After header and a message body', async () => {
    sim.control.rateLimit(3, { match: 'list-instances' });
    const answer = await api('/instance');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('3');
    expect(answer.body).toEqual({ message: 'Too many requests; slow down.' });
  });

  it('loses only the answer of a create reset after handling: the instance exists', async () => {
    sim.control.resetConnection({ afterHandling: true, match: 'create-instance' });
    await expect(api('/instance', { method: 'POST', body: createBody })).rejects.toThrow();
    const listed = await api('/instance');
    expect(listed.body.instances.map((i: { name: string }) => i.name)).toContain('http-1');
    expect(sim.control.count('create-instance')).toBe(1);
  });

  it('answers 200 with a truncated body when asked to malform it', async () => {
    sim.control.malformBody({ match: 'list-zones' });
    await expect(api('/zone')).rejects.toThrow(SyntaxError);
  });

  it('refuses expired and revoked keys until they are restored', async () => {
    sim.control.expireKey(sim.credentials.key);
    expect(await api('/ssh-key')).toMatchObject({ status: 403, body: { message: 'API key expired' } });
    sim.control.revokeKey(sim.credentials.key);
    expect(await api('/ssh-key')).toMatchObject({ status: 403, body: { message: 'API key revoked' } });
    sim.control.restoreKey(sim.credentials.key);
    expect((await api('/ssh-key')).status).toBe(200);
  });

  it('serves another zone under its prefix, as GET /zone advertises it', async () => {
    const zones = (await api('/zone')).body.zones as { name: string; 'api-endpoint': string }[];
    const vienna = zones.find((zone) => zone.name === 'at-vie-1');
    expect(vienna?.['api-endpoint']).toBe(`${sim.url}/at-vie-1/v2`);
    const created = await exoscaleFetch(vienna?.['api-endpoint'] ?? '', '/instance', sim.credentials, {
      method: 'POST',
      body: { ...createBody, name: 'in-vienna' },
    });
    expect(created.status).toBe(200);
    const inVienna = await exoscaleFetch(vienna?.['api-endpoint'] ?? '', '/instance', sim.credentials);
    expect(inVienna.body.instances.map((i: { name: string }) => i.name)).toEqual(['in-vienna']);
    expect((await api('/instance')).body.instances.map((i: { name: string }) => i.name)).not.toContain(
      'in-vienna',
    );
  });
});
