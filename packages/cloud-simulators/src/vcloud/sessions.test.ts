import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { type RunningVcloud, startVcloud } from './index.js';
import { VcloudTestClient } from './test-client.js';

/** Logins at the OpenAPI, bearer tokens on the XML API, versions, the legacy login. */

const ALICE = { key: 'alice', secret: 'alice:pa$$word', vmLimit: 10 };
const BOB = { key: 'bob', secret: 'bob-password' };

describe('vCD sessions', () => {
  let sim: RunningVcloud;
  let clock: ManualClock;
  let client: VcloudTestClient;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    sim = await startVcloud({ clock, accounts: [ALICE, BOB], tokenTtlMs: 60_000 });
    client = new VcloudTestClient(sim.endpoint);
  });
  afterEach(() => sim.close());

  it('logs in with Basic user@org:password and answers the session and a bearer token', async () => {
    expect(sim.endpoint).toBe(sim.url);
    expect(sim.org).toBe('slipstream');
    const answer = await client.login('alice', 'slipstream', ALICE.secret);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json;version=38.0');
    expect(answer.headers.get('x-vmware-vcloud-token-type')).toBe('Bearer');
    const token = answer.headers.get('x-vmware-vcloud-access-token') ?? '';
    expect(token).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    expect(answer.headers.get('x-vmware-vcloud-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const session = JSON.parse(answer.text);
    expect(session).toMatchObject({
      id: expect.stringMatching(/^urn:vcloud:session:/),
      user: { name: 'alice', id: expect.stringMatching(/^urn:vcloud:user:/) },
      org: { name: 'slipstream', id: expect.stringMatching(/^urn:vcloud:org:/) },
      operatingOrg: { name: 'slipstream' },
      roles: ['vApp Author'],
    });
    expect(session.site.name).toBe(new URL(sim.endpoint).host);
    // The organization name is matched without regard to case.
    expect((await new VcloudTestClient(sim.endpoint).login('alice', 'SlipStream', ALICE.secret)).status).toBe(
      200,
    );
  });

  it("refuses a wrong password, an unknown user or org and a disabled key with vCD's 401", async () => {
    for (const [user, org, password] of [
      ['alice', 'slipstream', 'wrong'],
      ['carol', 'slipstream', ALICE.secret],
      ['alice', 'other-org', ALICE.secret],
    ] as const) {
      const answer = await client.login(user, org, password);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('www-authenticate')).toContain('Basic realm="vCloud"');
      const body = JSON.parse(answer.text);
      expect(body).toEqual({ minorErrorCode: 'UNAUTHORIZED', message: expect.any(String), stackTrace: null });
      expect(body.message).toMatch(/^\[ [0-9a-f-]{36} \] Invalid credentials\.$/);
    }
    sim.control.revokeKey('alice');
    expect((await client.login('alice', 'slipstream', ALICE.secret)).status).toBe(401);
    // No credentials at all.
    const bare = await fetch(`${sim.endpoint}/cloudapi/1.0.0/sessions`, {
      method: 'POST',
      headers: { accept: 'application/json;version=38.0' },
    });
    expect(bare.status).toBe(401);
  });

  it('refuses an API version it does not serve, or none, with 406 and the versions it serves', async () => {
    const answer = await client.login('alice', 'slipstream', ALICE.secret, 'application/json;version=36.3');
    expect(answer.status).toBe(406);
    expect(JSON.parse(answer.text)).toEqual({
      minorErrorCode: 'NOT_ACCEPTABLE',
      message:
        'The request has invalid accept header: Invalid API version requested. Supported API versions are: [38.0, 37.2, 37.1, 37.0] ([D] indicates deprecated versions)',
      stackTrace: null,
    });
    expect((await client.login('alice', 'slipstream', ALICE.secret, 'application/json')).status).toBe(406);
    for (const version of ['37.0', '37.1', '37.2', '38.0']) {
      const other = new VcloudTestClient(sim.endpoint, version);
      expect((await other.login('alice', 'slipstream', ALICE.secret)).status).toBe(200);
      const org = await other.get('/api/org');
      expect(org.status).toBe(200);
      expect(org.headers.get('content-type')).toBe(
        `application/vnd.vmware.vcloud.orgList+xml;version=${version}`,
      );
    }
    // govcd's Accept: application/*;version=…
    const govcd = await client.login('alice', 'slipstream', ALICE.secret, 'application/*;version=38.0');
    expect(govcd.status).toBe(200);
    await client.login('alice', 'slipstream', ALICE.secret);
    const old = await client.get('/api/org', { accept: 'application/*+xml;version=36.0' });
    expect(old.status).toBe(406);
    expect(old.xml.Error).toMatchObject({ majorErrorCode: '406', minorErrorCode: 'NOT_ACCEPTABLE' });
  });

  it('needs the bearer token on every /api call: missing, unknown, expired and logged-out ones are 401', async () => {
    await client.login('alice', 'slipstream', ALICE.secret);
    expect((await client.get('/api/org')).status).toBe(200);
    for (const token of [null, 'not-a-token']) {
      const answer = await client.get('/api/org', { token });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toBe('application/vnd.vmware.vcloud.error+xml;version=38.0');
      expect(answer.text).toContain('<Error xmlns="http://www.vmware.com/vcloud/v1.5"');
      expect(answer.xml.Error).toMatchObject({
        majorErrorCode: '401',
        minorErrorCode: 'NOT_AUTHENTICATED',
        message: expect.stringMatching(/^\[ [0-9a-f-]{36} \] This operation is denied\.$/),
      });
    }
    // The token's lifetime passes.
    clock.advance(60_000);
    expect((await client.get('/api/org')).status).toBe(401);
    expect((await client.login('alice', 'slipstream', ALICE.secret)).status).toBe(200);
    expect((await client.get('/api/org')).status).toBe(200);
    // The tests' switch.
    sim.expireTokens();
    expect((await client.get('/api/org')).status).toBe(401);
    const cloudapi = await client.call('GET', '/cloudapi/1.0.0/sessions/current', {
      accept: 'application/json;version=38.0',
    });
    expect(cloudapi.status).toBe(401);
    expect(JSON.parse(cloudapi.text)).toMatchObject({ minorErrorCode: 'NOT_AUTHENTICATED' });
    // A key revoked after the login stops its tokens too.
    await client.login('alice', 'slipstream', ALICE.secret);
    sim.control.revokeKey('alice');
    expect((await client.get('/api/org')).status).toBe(401);
  });

  it('answers the current session and logs out: the token stops working', async () => {
    await client.login('bob', 'slipstream', BOB.secret);
    const json = { accept: 'application/json;version=38.0' };
    const current = await client.call('GET', '/cloudapi/1.0.0/sessions/current', json);
    expect(current.status).toBe(200);
    expect(JSON.parse(current.text).user.name).toBe('bob');
    const logout = await client.call('DELETE', '/cloudapi/1.0.0/sessions/current', json);
    expect(logout.status).toBe(204);
    expect(logout.text).toBe('');
    expect((await client.get('/api/org')).status).toBe(401);
    expect(sim.control.count('login')).toBe(1);
    expect(sim.control.count('session')).toBe(1);
    expect(sim.control.count('logout')).toBe(1);
  });

  it('refuses the legacy POST /api/sessions for API 38.0 (405) and logs in with it for 37.x', async () => {
    const basic = `Basic ${Buffer.from(`alice@slipstream:${ALICE.secret}`).toString('base64')}`;
    for (const accept of ['application/*+xml;version=38.0', 'application/*+xml']) {
      const answer = await fetch(`${sim.endpoint}/api/sessions`, {
        method: 'POST',
        headers: { authorization: basic, accept },
      });
      expect(answer.status).toBe(405);
      const text = await answer.text();
      expect(text).toContain('minorErrorCode="METHOD_NOT_ALLOWED"');
      expect(text).toContain('message="HTTP method not allowed"');
      expect(text).toContain('majorErrorCode="405"');
    }
    const json = await fetch(`${sim.endpoint}/api/sessions`, {
      method: 'POST',
      headers: { authorization: basic, accept: 'application/json;version=38.0' },
    });
    expect(await json.json()).toMatchObject({
      minorErrorCode: 'METHOD_NOT_ALLOWED',
      message: 'HTTP method not allowed',
    });
    const legacy = await fetch(`${sim.endpoint}/api/sessions`, {
      method: 'POST',
      headers: { authorization: basic, accept: 'application/*+xml;version=37.2' },
    });
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get('content-type')).toBe('application/vnd.vmware.vcloud.session+xml;version=37.2');
    const token = legacy.headers.get('x-vmware-vcloud-access-token');
    expect(token).toBe(legacy.headers.get('x-vcloud-authorization'));
    expect(await legacy.text()).toMatch(/<Session [^>]*user="alice"/);
    const org = await client.get('/api/org', { token });
    expect(org.status).toBe(200);
    expect(sim.control.count('legacyLogin')).toBe(4);
  });

  it('lists the API versions without a login', async () => {
    const answer = await client.get('/api/versions', { token: null, accept: '*/*' });
    expect(answer.status).toBe(200);
    const versions = answer.xml.SupportedVersions.VersionInfo.map(
      (info: { Version: string }) => info.Version,
    );
    expect(versions).toEqual(['37.0', '37.1', '37.2', '38.0']);
    expect(answer.xml.SupportedVersions.VersionInfo[3].LoginUrl).toBeUndefined();
    expect(answer.xml.SupportedVersions.VersionInfo[0].LoginUrl).toBe(`${sim.endpoint}/api/sessions`);
  });

  it('answers unknown paths 404 and other methods 405, in the error shape of the API', async () => {
    await client.login('alice', 'slipstream', ALICE.secret);
    const missing = await client.get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.xml.Error).toMatchObject({ majorErrorCode: '404', minorErrorCode: 'RESOURCE_NOT_FOUND' });
    const method = await client.call('PATCH', '/api/org');
    expect(method.status).toBe(405);
  });
});
