import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeystonePasswordAuth } from './keystone.js';
import { type Stub, type StubRequest, startStub, testTransport } from './testing/stub.js';

const PASSWORD = 'correct horse battery staple';
let stub: Stub;
let now = Date.parse('2026-11-27T10:00:00Z');
let issued = 0;

function tokenAnswer(request: StubRequest, lifetimeMs = 3_600_000) {
  const body = request.json as { auth: { identity: { password: { user: { password: string } } } } };
  if (body.auth.identity.password.user.password !== PASSWORD) {
    return {
      status: 401,
      body: {
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      },
    };
  }
  issued++;
  // Keystone's clock runs an hour ahead of ours: the renewal must not depend on it.
  const keystoneNow = now + 3_600_000;
  return {
    status: 201,
    headers: { 'x-subject-token': `token-${issued}` },
    body: {
      token: {
        methods: ['password'],
        issued_at: new Date(keystoneNow).toISOString(),
        expires_at: new Date(keystoneNow + lifetimeMs).toISOString(),
        user: { id: 'u1', name: 'alice', domain: { id: 'default', name: 'Default' } },
        project: { id: 'p1', name: 'demo', domain: { id: 'default', name: 'Default' } },
        catalog: [
          {
            type: 'compute',
            name: 'nova',
            endpoints: [{ interface: 'public', region_id: 'RegionOne', url: 'http://nova/v2.1' }],
          },
        ],
      },
    },
  };
}

function auth(options: { password?: string } = {}) {
  return new KeystonePasswordAuth({
    http: testTransport(),
    authUrl: `${stub.url}/identity/v3/`,
    username: 'alice',
    password: options.password ?? PASSWORD,
    userDomain: { name: 'Default' },
    project: { name: 'demo', domain: { name: 'Default' } },
    now: () => now,
  });
}

beforeAll(async () => {
  stub = await startStub((request) => tokenAnswer(request));
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  issued = 0;
  stub.handle((request) => tokenAnswer(request));
});

describe('KeystonePasswordAuth', () => {
  it('gets a token once, reads the catalog and project, and sends it as X-Auth-Token', async () => {
    const keystone = auth();
    const token = await keystone.token();
    expect(token).toMatchObject({ value: 'token-1', project: { id: 'p1', name: 'demo' } });
    expect(await keystone.catalog()).toHaveLength(1);
    const authorization = await keystone.authorize({
      method: 'GET',
      url: new URL('http://x'),
      headers: {},
      body: undefined,
    });
    expect(authorization).toEqual({ headers: { 'x-auth-token': 'token-1' }, secrets: ['token-1'] });
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /identity/v3/auth/tokens']);
    expect(stub.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('shares one token request among concurrent callers', async () => {
    const keystone = auth();
    const tokens = await Promise.all([keystone.token(), keystone.token(), keystone.token()]);
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(stub.requests).toHaveLength(1);
  });

  it('renews the token shortly before it expires, by its lifetime on our clock', async () => {
    const keystone = auth();
    expect((await keystone.token()).value).toBe('token-1');
    now += 3_600_000 - 121_000;
    expect((await keystone.token()).value).toBe('token-1');
    now += 2_000;
    expect((await keystone.token()).value).toBe('token-2');
    expect(stub.requests).toHaveLength(2);
  });

  it('reuses a short-lived token for half its life', async () => {
    stub.handle((request) => tokenAnswer(request, 60_000));
    const keystone = auth();
    await keystone.token();
    now += 29_000;
    await keystone.token();
    expect(stub.requests).toHaveLength(1);
    now += 2_000;
    await keystone.token();
    expect(stub.requests).toHaveLength(2);
  });

  it('forgets a token a service refused, but not a newer one', async () => {
    const keystone = auth();
    const first = await keystone.authorize({
      method: 'GET',
      url: new URL('http://x'),
      headers: {},
      body: undefined,
    });
    expect(keystone.rejected(first)).toBe(true);
    const second = await keystone.authorize({
      method: 'GET',
      url: new URL('http://x'),
      headers: {},
      body: undefined,
    });
    expect(second.headers['x-auth-token']).toBe('token-2');
    keystone.rejected(first);
    expect((await keystone.token()).value).toBe('token-2');
  });

  it('fails AUTH_FAILED on a wrong password, quoting Keystone without the password', async () => {
    const keystone = auth({ password: 'wrong password value' });
    const error = await keystone.token().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
    expect((error as Error).message).toContain('Keystone create-token answered 401 Unauthorized');
    expect((error as Error).message).not.toContain('wrong password value');
  });

  it('fails CLOUD_ERROR on an answer without a token header or expiry', async () => {
    stub.handle(() => ({
      status: 201,
      body: { token: { expires_at: '2030-01-01T00:00:00Z', project: { id: 'p' } } },
    }));
    await expect(auth().token()).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('X-Subject-Token'),
    });
    stub.handle(() => ({
      status: 201,
      headers: { 'x-subject-token': 't' },
      body: { token: { project: { id: 'p' } } },
    }));
    await expect(auth().token()).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('expires_at'),
    });
  });

  it('refuses an unscoped token', async () => {
    stub.handle(() => ({
      status: 201,
      headers: { 'x-subject-token': 't' },
      body: { token: { expires_at: '2030-01-01T00:00:00Z' } },
    }));
    await expect(auth().token()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('lets a caller give up on the shared request without failing the others', async () => {
    let release: () => void = () => {};
    let arrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    stub.handle(async (request) => {
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      arrived();
      await held;
      return tokenAnswer(request);
    });
    const keystone = auth();
    const controller = new AbortController();
    const abandoned = keystone.token(controller.signal);
    const patient = keystone.token();
    await arrival;
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'ABORTED' });
    release();
    expect((await patient).value).toBe('token-1');
    expect(stub.requests).toHaveLength(1);
  });
  it('does not keep a token whose login was in flight when the session forgot its tokens', async () => {
    let release: () => void = () => {};
    let arrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    stub.handle(async (request) => {
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      arrived();
      await held;
      return tokenAnswer(request);
    });
    const keystone = auth();
    const inFlight = keystone.token();
    await arrival;
    keystone.forget();
    release();
    expect((await inFlight).value).toBe('token-1');
    stub.handle((request) => tokenAnswer(request));
    // Forgotten: the next call logs in again instead of reusing the late token.
    expect((await keystone.token()).value).toBe('token-2');
    expect(stub.requests).toHaveLength(2);
  });
});
