import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimCloud } from '../model/cloud.js';
import { OPENSTACK_CATALOG, OPENSTACK_IMAGES } from './catalog.js';
import { OpenStackFrontEnd } from './frontend.js';
import { type RunningOpenStack, startOpenStack } from './index.js';
import { passwordAuthBody, send, TestSession } from './test-client.js';

describe('the OpenStack front-end', () => {
  let sim: RunningOpenStack;
  let os: TestSession;

  beforeAll(async () => {
    sim = await startOpenStack({
      bootDelayMs: 0,
      accounts: [
        { key: 'owner', secret: 'owner-password', name: 'owned' },
        { key: 'other', secret: 'other-password', name: 'elsewhere' },
      ],
    });
    os = await new TestSession(sim).login();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.control.clearFaults();
    sim.control.restoreKey('owner');
    // A test may expire every token.
    await os.login();
    sim.control.clearRequests();
  });

  it('refuses Nova, Glance and Neutron calls without a valid token as keystonemiddleware does', async () => {
    for (const url of [
      `${sim.computeUrl}/servers`,
      `${sim.imageUrl}/v2/images`,
      `${sim.url}/networking/v2.0/networks`,
    ]) {
      for (const token of [null, 'gAAAAABforged']) {
        const answer = await send(url, { token });
        expect(answer.status, url).toBe(401);
        expect(answer.body).toEqual({
          error: {
            code: 401,
            title: 'Unauthorized',
            message: 'The request you have made requires authentication.',
          },
        });
        expect(answer.headers.get('www-authenticate')).toBe(`Keystone uri="${sim.url}/identity"`);
      }
    }
  });

  it('stops honouring tokens after expireTokens() and for a key that is revoked', async () => {
    const session = await new TestSession(sim).login();
    expect((await session.compute('/servers')).status).toBe(200);
    sim.control.revokeKey('owner');
    expect((await session.compute('/servers')).status).toBe(401);
    sim.control.restoreKey('owner');
    expect((await session.compute('/servers')).status).toBe(200);
    sim.expireTokens();
    expect((await session.compute('/servers')).status).toBe(401);
    expect((await (await session.login()).compute('/servers')).status).toBe(200);
  });

  it('keeps projects apart: a server of one is not found by the other', async () => {
    const created = await os.compute('/servers', {
      method: 'POST',
      version: '2.37',
      body: { server: { name: 'mine', imageRef: OPENSTACK_IMAGES[0]?.id, flavorRef: '1', networks: 'none' } },
    });
    const other = await send(`${sim.authUrl}/auth/tokens`, {
      method: 'POST',
      body: passwordAuthBody({ username: 'other', password: 'other-password', project: 'elsewhere' }),
    });
    const token = other.headers.get('x-subject-token');
    const answer = await send(`${sim.computeUrl}/servers/${created.body.server.id}`, { token });
    expect(answer.status).toBe(404);
    expect((await send(`${sim.computeUrl}/servers`, { token })).body.servers).toEqual([]);
    // networks "none": no ports, so no addresses and no security groups.
    const server = (await os.compute(`/servers/${created.body.server.id}`)).body.server;
    expect(server.addresses).toEqual({});
    expect(server).not.toHaveProperty('security_groups');
  });

  it('logs each request under its API reference name', async () => {
    await os.compute('/servers/detail');
    await os.compute('/flavors/detail');
    await os.image('/v2/images');
    await send(`${sim.url}/compute/v2.1`);
    await os.network('/v2.0/floatingips');
    expect(sim.control.requests.map((request) => request.operation)).toEqual([
      'list-servers-detail',
      'list-flavors-detail',
      'list-images',
      'show-compute-version',
      'list-floatingips',
    ]);
  });

  it("answers injected faults in the addressed service's error format", async () => {
    sim.control.failWithStatus(503, { match: 'list-servers-detail', message: 'Nova is down' });
    const nova = await os.compute('/servers/detail');
    expect(nova.status).toBe(503);
    expect(nova.body).toEqual({ serviceUnavailable: { code: 503, message: 'Nova is down' } });
    sim.control.failWithStatus(500, { match: 'create-token', message: 'Keystone broke' });
    const keystone = await send(`${sim.authUrl}/auth/tokens`, { method: 'POST', body: {} });
    expect(keystone.body).toEqual({
      error: { code: 500, message: 'Keystone broke', title: 'Internal Server Error' },
    });
    sim.control.rateLimit(7, { match: 'list-images' });
    const glance = await os.image('/v2/images');
    expect(glance.status).toBe(429);
    expect(glance.headers.get('retry-after')).toBe('7');
    expect(glance.text).toBe('429 Too Many Requests\n\nToo many requests; slow down.\n\n   ');
    sim.control.failWithStatus(401, { match: 'list-flavors-detail', message: 'ignored' });
    const refused = await os.compute('/flavors/detail');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
    expect(refused.headers.get('www-authenticate')).toBe(`Keystone uri="${sim.url}/identity"`);
    sim.control.failWithStatus(409, { match: 'create-floatingip' });
    const neutron = await os.network('/v2.0/floatingips', { method: 'POST', body: {} });
    expect(neutron.body.NeutronError).toMatchObject({ type: 'HTTPConflict' });
  });

  it('answers a delayed fault in its own service format while another service is called', async () => {
    sim.control.addLatency(300, { match: 'list-images' });
    sim.control.failWithStatus(503, { match: 'list-images', message: 'Glance is down' });
    const glance = os.image('/v2/images');
    // A Nova call answered while the Glance answer is held back.
    expect((await os.compute('/servers/detail')).status).toBe(200);
    const answer = await glance;
    expect(answer.status).toBe(503);
    expect(answer.text).toContain('Glance is down');
    expect(answer.text).not.toContain('serviceUnavailable');
  });

  it('loses only the answer of a create reset after handling: the server exists', async () => {
    sim.control.resetConnection({ afterHandling: true, match: 'create-server' });
    const body = {
      server: { name: 'lost-answer', imageRef: OPENSTACK_IMAGES[0]?.id, flavorRef: '1', networks: 'auto' },
    };
    await expect(os.compute('/servers', { method: 'POST', version: '2.47', body })).rejects.toThrow();
    const listed = await os.compute('/servers?name=lost-answer');
    expect(listed.body.servers).toHaveLength(1);
    expect(sim.control.count('create-server')).toBe(1);
  });

  it('answers paths no service knows with a WebOb 404', async () => {
    const answer = await send(`${sim.url}/object-store/v1`, { headers: { accept: 'text/plain' } });
    expect(answer.status).toBe(404);
    expect(answer.text).toBe('404 Not Found\n\nThe resource could not be found.\n\n   ');
  });
});

describe('OpenStackFrontEnd mounts', () => {
  it('names operations of services mounted side by side at the root, as a flavour may mount them', () => {
    const cloud = new SimCloud({ ...OPENSTACK_CATALOG, accounts: [{ key: 'k', secret: 's' }] });
    const frontEnd = new OpenStackFrontEnd(cloud, {
      mounts: { identity: '', compute: '', image: '', network: '/network' },
    });
    const operation = (method: string, path: string) =>
      frontEnd.operationOf({ method, url: new URL(`http://127.0.0.1${path}`), headers: {}, body: '' });
    expect(operation('POST', '/v3/auth/tokens')).toBe('create-token');
    expect(operation('GET', '/v2.1/0123456789abcdef0123456789abcdef/servers/detail')).toBe(
      'list-servers-detail',
    );
    expect(operation('POST', '/v2.1/servers/abc/action')).toBe('server-action');
    expect(operation('GET', '/v2/images')).toBe('list-images');
    expect(operation('GET', '/network/v2.0/ports')).toBe('list-ports');
    expect(operation('GET', '/')).toBe('list-identity-versions');
    expect(operation('GET', '/swift')).toBe('unknown');
  });
});
