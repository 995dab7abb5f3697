import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../model/clock.js';
import { type RunningOpenStack, startOpenStack } from '../index.js';
import { passwordAuthBody, send } from '../test-client.js';

// Keystone v3 over HTTP: what keystoneauth's password plugin sends, and what it reads back.
describe('the built-in Keystone', () => {
  let sim: RunningOpenStack;
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const tokens = (body: unknown, query = '') =>
    send(`${sim.authUrl}/auth/tokens${query}`, { method: 'POST', body });
  const login = async (): Promise<string> => {
    const { user } = sim;
    const answer = await tokens(
      passwordAuthBody({ username: user.username, password: user.password, project: user.project }),
    );
    return answer.headers.get('x-subject-token') ?? '';
  };

  beforeAll(async () => {
    sim = await startOpenStack({
      clock,
      tokenTtlSeconds: 600,
      accounts: [
        { key: 'alice', secret: 'alice-password', name: 'alice-project' },
        { key: 'bob', secret: 'bob-password', name: 'bob-project' },
      ],
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.control.restoreKey('alice'));

  it('discovers versions: 300 with the v3 entry at the root, the v3 document at /v3', async () => {
    const root = await send(`${sim.url}/identity`);
    expect(root.status).toBe(300);
    expect(root.headers.get('location')).toBe(`${sim.url}/identity/v3/`);
    expect(root.body.versions.values).toEqual([
      expect.objectContaining({
        id: 'v3.14',
        status: 'stable',
        links: [{ rel: 'self', href: `${sim.url}/identity/v3/` }],
      }),
    ]);
    const v3 = await send(sim.authUrl);
    expect(v3.status).toBe(200);
    expect(v3.body.version).toMatchObject({
      id: 'v3.14',
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    });
  });

  it('issues a project-scoped token in X-Subject-Token with the catalog, roles and expiry', async () => {
    const answer = await tokens(
      passwordAuthBody({ username: 'alice', password: 'alice-password', project: 'alice-project' }),
    );
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-subject-token')).toMatch(/^gAAAAAB[\w-]{150,}$/);
    const { token } = answer.body;
    expect(token).toMatchObject({
      methods: ['password'],
      user: { name: 'alice', domain: { id: 'default', name: 'Default' }, password_expires_at: null },
      project: { name: 'alice-project', id: sim.user.projectId, domain: { id: 'default', name: 'Default' } },
      is_domain: false,
      issued_at: '2026-01-01T12:00:00.000000Z',
      expires_at: '2026-01-01T12:10:00.000000Z',
    });
    expect(token.user.id).toMatch(/^[0-9a-f]{32}$/);
    expect(token.audit_ids).toHaveLength(1);
    expect(token.roles.map((role: { name: string }) => role.name)).toEqual(['member', 'reader']);
    const byType = Object.fromEntries(
      token.catalog.map((entry: { type: string; name: string; endpoints: { url: string }[] }) => [
        entry.type,
        { name: entry.name, urls: [...new Set(entry.endpoints.map((endpoint) => endpoint.url))] },
      ]),
    );
    expect(byType).toEqual({
      identity: { name: 'keystone', urls: [`${sim.url}/identity`] },
      compute: { name: 'nova', urls: [sim.computeUrl] },
      image: { name: 'glance', urls: [sim.imageUrl] },
      network: { name: 'neutron', urls: [`${sim.url}/networking`] },
    });
    const compute = token.catalog.find((entry: { type: string }) => entry.type === 'compute');
    expect(compute.endpoints.map((endpoint: { interface: string }) => endpoint.interface).sort()).toEqual([
      'admin',
      'internal',
      'public',
    ]);
    expect(compute.endpoints[0]).toMatchObject({ region: 'RegionOne', region_id: 'RegionOne' });
  });

  it('accepts the user and the project by id, and leaves the catalog out with ?nocatalog', async () => {
    const first = await tokens(
      passwordAuthBody({ username: 'alice', password: 'alice-password', project: 'alice-project' }),
    );
    const userId = first.body.token.user.id;
    const answer = await tokens(
      {
        auth: {
          identity: { methods: ['password'], password: { user: { id: userId, password: 'alice-password' } } },
          scope: { project: { id: sim.user.projectId } },
        },
      },
      '?nocatalog',
    );
    expect(answer.status).toBe(201);
    expect(answer.body.token.project.name).toBe('alice-project');
    expect(answer.body.token.catalog).toBeUndefined();
  });

  it('issues an unscoped token without scope, and rescopes it with the token method', async () => {
    const unscoped = await tokens(passwordAuthBody({ username: 'alice', password: 'alice-password' }));
    expect(unscoped.status).toBe(201);
    expect(unscoped.body.token.project).toBeUndefined();
    expect(unscoped.body.token.catalog).toBeUndefined();
    const rescoped = await tokens({
      auth: {
        identity: { methods: ['token'], token: { id: unscoped.headers.get('x-subject-token') } },
        scope: { project: { name: 'alice-project', domain: { id: 'default' } } },
      },
    });
    expect(rescoped.status).toBe(201);
    expect(rescoped.body.token.project.id).toBe(sim.user.projectId);
  });

  it('refuses a wrong password, an unknown user and a foreign project alike, with Keystone 401s', async () => {
    for (const auth of [
      { username: 'alice', password: 'wrong', project: 'alice-project' },
      { username: 'nobody', password: 'alice-password', project: 'alice-project' },
      { username: 'alice', password: 'alice-password', project: 'bob-project' },
      { username: 'alice', password: 'alice-password', project: 'alice-project', domain: 'Elsewhere' },
    ]) {
      const answer = await tokens(passwordAuthBody(auth));
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: {
          code: 401,
          message: 'The request you have made requires authentication.',
          title: 'Unauthorized',
        },
      });
      expect(answer.headers.get('www-authenticate')).toBe(`Keystone uri="${sim.authUrl}"`);
      expect(answer.text).not.toContain('alice-password');
    }
  });

  it('refuses the users of expired and revoked keys, naming the user as Keystone does', async () => {
    sim.control.expireKey('alice');
    const expired = await tokens(
      passwordAuthBody({ username: 'alice', password: 'alice-password', project: 'alice-project' }),
    );
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(
      /^The password is expired and needs to be changed for user: [0-9a-f]{32}\.$/,
    );
    sim.control.revokeKey('alice');
    const revoked = await tokens(
      passwordAuthBody({ username: 'alice', password: 'alice-password', project: 'alice-project' }),
    );
    expect(revoked.body.error.message).toMatch(/^The account is disabled for user: [0-9a-f]{32}\.$/);
  });

  it('answers malformed requests with 400s that say what is missing, never echoing the password', async () => {
    const cases: Array<[unknown, RegExp]> = [
      ['not json', /^Expecting to find valid JSON in request body/],
      [{ auth: {} }, /^'identity' is a required property$/],
      [{ auth: { identity: {} } }, /'methods' is a required property/],
      [{ auth: { identity: { methods: ['password'] } } }, /^Expecting to find password in identity/],
      [
        {
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: 'alice', password: 'alice-password' } },
            },
          },
        },
        /^Expecting to find domain in user/,
      ],
      [
        { auth: { identity: { methods: ['password'], password: { user: { password: 'alice-password' } } } } },
        /id or name must be present/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await tokens(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 400,
        title: 'Bad Request',
        message: expect.stringMatching(message),
      });
      expect(answer.text).not.toContain('alice-password');
    }
    const unsupported = await tokens({ auth: { identity: { methods: ['totp'], totp: {} } } });
    expect(unsupported.status).toBe(401);
    expect(unsupported.body.error.message).toBe('Attempted to authenticate with an unsupported method.');
  });

  it('validates a token for its own user, refuses other users, and revokes on DELETE', async () => {
    const token = await login();
    const check = (subject: string, auth = token, method = 'GET') =>
      send(`${sim.authUrl}/auth/tokens`, { method, token: auth, headers: { 'x-subject-token': subject } });
    const valid = await check(token);
    expect(valid.status).toBe(200);
    expect(valid.headers.get('x-subject-token')).toBe(token);
    expect(valid.body.token.project.id).toBe(sim.user.projectId);
    expect((await check(token, token, 'HEAD')).status).toBe(200);
    const bob = await tokens(
      passwordAuthBody({ username: 'bob', password: 'bob-password', project: 'bob-project' }),
    );
    const foreign = await check(bob.headers.get('x-subject-token') ?? '');
    expect(foreign.status).toBe(403);
    const unknown = await check('gAAAAABnot-a-token');
    expect(unknown).toMatchObject({ status: 404, body: { error: { message: 'Failed to validate token' } } });
    expect(unknown.text).not.toContain('not-a-token');
    expect((await check(token, 'bogus')).status).toBe(401);
    expect((await check(token, token, 'DELETE')).status).toBe(204);
    expect((await check(token, bob.headers.get('x-subject-token') ?? '')).status).toBe(404);
  });

  it('expires tokens with time and on expireTokens()', async () => {
    const first = await login();
    const isValid = async (token: string) =>
      (await send(`${sim.authUrl}/auth/tokens`, { token, headers: { 'x-subject-token': token } })).status ===
      200;
    expect(await isValid(first)).toBe(true);
    clock.advance(600_000);
    expect(await isValid(first)).toBe(false);
    const second = await login();
    expect(await isValid(second)).toBe(true);
    sim.expireTokens();
    expect(await isValid(second)).toBe(false);
    const third = await login();
    expect(await isValid(third)).toBe(true);
    // Keystone revokes the tokens of a user who is disabled.
    sim.control.revokeKey('alice');
    expect(await isValid(third)).toBe(false);
  });

  it('answers unknown identity paths with a Keystone 404', async () => {
    const answer = await send(`${sim.authUrl}/projects`);
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 404, title: 'Not Found' } } });
  });
});
