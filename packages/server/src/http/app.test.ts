import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedServer, bootServer } from '../boot/boot.js';
import { createServerLogger } from '../logging.js';
import { hashPassword } from '../security/passwords.js';
import { readServerSettings } from '../settings.js';
import { BODY_LIMIT, createApp } from './app.js';
import { SESSION_COOKIE } from './cookies.js';

const FROM = new URL('../../', import.meta.url);
const ADMIN_PASSWORD = 'admin-Pa55word-for-http-tests';

let home: string;
let booted: BootedServer;
let app: FastifyInstance;
const logLines: string[] = [];
/** Every response body this file received, to look for leaked secrets at the end. */
const bodies: string[] = [];

async function send(options: InjectOptions): Promise<LightMyRequestResponse> {
  const response = await app.inject(options);
  bodies.push(response.body);
  return response;
}

interface Session {
  readonly cookie: string;
  readonly sessionId: string;
  readonly csrfToken: string;
}

async function login(username: string, password: string): Promise<Session> {
  const response = await send({ method: 'POST', url: '/api/login', payload: { username, password } });
  expect(response.statusCode).toBe(200);
  const cookie = String(response.headers['set-cookie']).split(';')[0] ?? '';
  return { cookie, sessionId: cookie.split('=')[1] ?? '', csrfToken: response.json().csrfToken };
}

function asSession(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slipstream-http-'));
  const settings = readServerSettings({
    env: { SLIPSTREAM_HOME: home, SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD },
    argv: [],
    cwd: home,
  });
  booted = await bootServer({ settings, from: FROM, env: {} });
  await booted.ensureAdministrator();
  const logger = createServerLogger({
    level: 'debug',
    destination: { write: (line: string) => logLines.push(line) },
  });
  app = await createApp({
    booted,
    settings,
    logger,
    loginLimits: { maxFailures: 3 },
    addressLoginLimits: { maxFailures: 10 },
    now: () => new Date(clock),
  });
}, 60_000);

/** The app's clock: real time unless a test moves it on. */
let clock = Date.now();

afterAll(async () => {
  await app?.close();
  await booted?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and returns the user and CSRF token', async () => {
    const response = await send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toEqual({ name: 'admin', role: 'admin' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; `));
    const flags = cookie.split('; ').slice(1);
    expect(flags).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
    // Plain http here: a Secure cookie would never come back.
    expect(flags).not.toContain('Secure');
    const sessionId = cookie.split(';')[0]?.split('=')[1] ?? '';
    expect(response.body).not.toContain(sessionId);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 401 with the same message for an unknown user and a wrong password', async () => {
    const wrong = await send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'admin', password: 'nope' },
    });
    const unknown = await send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'ghost', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('AUTH_FAILED');
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('locks a (username, address) pair out after repeated failures, even for the right password', async () => {
    const attempt = (password: string): Promise<LightMyRequestResponse> =>
      send({
        method: 'POST',
        url: '/api/login',
        payload: { username: 'locked', password },
        remoteAddress: '10.0.0.9',
      });
    await booted.store.createUser({
      name: 'locked',
      role: 'user',
      passwordHash: await hashPassword('right-one'),
    });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong')).statusCode).toBe(401);
    const refused = await attempt('right-one');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['set-cookie']).toBeUndefined();
    // Another address is not affected.
    const elsewhere = await send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'locked', password: 'right-one' },
      remoteAddress: '10.0.0.10',
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('logs in whatever the case of the name typed, as the account spelt when it was created', async () => {
    await booted.store.createUser({
      name: 'Alice',
      role: 'user',
      passwordHash: await hashPassword('alice-right-one'),
    });
    for (const username of ['ALICE', 'alice', 'Alice']) {
      const response = await send({
        method: 'POST',
        url: '/api/login',
        payload: { username, password: 'alice-right-one' },
        remoteAddress: '10.0.0.40',
      });
      expect(response.statusCode, username).toBe(200);
      expect(response.json().user).toEqual({ name: 'Alice', role: 'user' });
    }
  });

  it('counts failed logins against one account together, however its name is spelt', async () => {
    const attempt = (username: string, password: string): Promise<LightMyRequestResponse> =>
      send({
        method: 'POST',
        url: '/api/login',
        payload: { username, password },
        remoteAddress: '10.0.0.41',
      });
    await booted.store.createUser({
      name: 'casey',
      role: 'user',
      passwordHash: await hashPassword('casey-right-one'),
    });
    // Two failures (the limit is three), then the right password in another spelling: that logs in
    // and starts the account afresh, rather than being a third failure of an unknown user.
    expect((await attempt('Casey', 'wrong')).statusCode).toBe(401);
    expect((await attempt('CASEY', 'wrong')).statusCode).toBe(401);
    expect((await attempt('CASEY', 'casey-right-one')).statusCode).toBe(200);
    for (const username of ['Casey', 'cAsEy', 'CASEY']) {
      expect((await attempt(username, 'wrong')).statusCode).toBe(401);
    }
    const locked = await attempt('casey', 'casey-right-one');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.message).toBe(
      'Too many failed logins for this user from your address; wait and try again later.',
    );
  }, 60_000);

  it('locks an address out after failures across many usernames, and a login of its own does not reset it', async () => {
    const from = (username: string, password: string): Promise<LightMyRequestResponse> =>
      send({
        method: 'POST',
        url: '/api/login',
        payload: { username, password },
        remoteAddress: '10.0.0.20',
      });
    await booted.store.createUser({
      name: 'sprayer',
      role: 'user',
      passwordHash: await hashPassword('own-one'),
    });
    for (let i = 0; i < 5; i++) expect((await from(`someone-${i}`, 'Summer2026!')).statusCode).toBe(401);
    expect((await from('sprayer', 'own-one')).statusCode).toBe(200);
    for (let i = 5; i < 10; i++) expect((await from(`someone-${i}`, 'Summer2026!')).statusCode).toBe(401);
    const refused = await from('admin', ADMIN_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toBe(
      'Too many failed logins from your address; wait and try again later.',
    );
    // Other addresses log in as usual.
    expect(
      (
        await send({
          method: 'POST',
          url: '/api/login',
          payload: { username: 'admin', password: ADMIN_PASSWORD },
          remoteAddress: '10.0.0.21',
        })
      ).statusCode,
    ).toBe(200);
  }, 120_000);

  it('counts guesses made at once as many: the right password late in a parallel burst does not log in', async () => {
    await booted.store.createUser({
      name: 'parallel',
      role: 'user',
      passwordHash: await hashPassword('right-one'),
    });
    const attempts = Array.from({ length: 40 }, (_, i) =>
      send({
        method: 'POST',
        url: '/api/login',
        payload: { username: 'parallel', password: i === 36 ? 'right-one' : `guess-${i}` },
        remoteAddress: '10.0.0.30',
      }),
    );
    const statuses = (await Promise.all(attempts)).map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toEqual([]);
    // No more password checks than the pair's limit (3): every other attempt is refused before one.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
    // The user still logs in from elsewhere.
    const elsewhere = await send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'parallel', password: 'right-one' },
      remoteAddress: '10.0.0.31',
    });
    expect(elsewhere.statusCode).toBe(200);
  }, 120_000);

  it("lets the user's own address log in while guesses for the same user arrive from many others", async () => {
    await booted.store.createUser({
      name: 'targeted',
      role: 'user',
      passwordHash: await hashPassword('the-real-password'),
    });
    const guess = (round: number, i: number) =>
      send({
        method: 'POST',
        url: '/api/login',
        payload: { username: 'targeted', password: `guess-${round}-${i}` },
        remoteAddress: `10.0.1.${i + 1}`,
      });
    // A first wave puts every guessing address on record; the second fills the user's slots.
    await Promise.all(Array.from({ length: 12 }, (_, i) => guess(1, i)));
    const wave = Array.from({ length: 12 }, (_, i) => guess(2, i));
    const real = send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'targeted', password: 'the-real-password' },
      remoteAddress: '10.0.2.1',
    });
    expect((await real).statusCode).toBe(200);
    const statuses = (await Promise.all(wave)).map((response) => response.statusCode);
    // The guessers themselves are bounded: no more than four of their checks at once.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  }, 120_000);

  it('counts parallel attempts on many names from one address as many', async () => {
    const attempts = Array.from({ length: 40 }, (_, i) =>
      send({
        method: 'POST',
        url: '/api/login',
        payload: { username: `sprayed-${i}`, password: 'Winter2026!' },
        remoteAddress: '10.0.0.40',
      }),
    );
    const statuses = (await Promise.all(attempts)).map((response) => response.statusCode);
    // The address's limit is 10 failures: no more reach the password check.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
  }, 120_000);

  it('logout ends the session', async () => {
    const session = await login('admin', ADMIN_PASSWORD);
    const out = await send({ method: 'POST', url: '/api/logout', headers: asSession(session) });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ loggedOut: true });
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await send({ method: 'GET', url: '/api/connectors', headers: { cookie: session.cookie } });
    expect(after.statusCode).toBe(401);
  });
});

describe('authentication', () => {
  it('refuses unauthenticated, unknown-session and malformed-token requests with 401', async () => {
    for (const headers of [
      {},
      { cookie: `${SESSION_COOKIE}=not-a-session` },
      { authorization: 'Bearer ssk_wrong' },
      { authorization: `Bearer ssk_${'a'.repeat(43)}` },
      { authorization: 'Basic YWRtaW46eA==' },
    ]) {
      const response = await send({ method: 'GET', url: '/api/connectors', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('AUTH_FAILED');
    }
  });

  it('needs the CSRF header for state-changing cookie requests, and refuses a wrong one', async () => {
    const session = await login('admin', ADMIN_PASSWORD);
    const missing = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: session.cookie },
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.message).toContain('x-csrf-token');
    const wrong = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: session.cookie, 'x-csrf-token': 'forged' },
      payload: { name: 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(
      (await booted.store.listApiTokens((await booted.store.getUserByName('admin'))?.id ?? '')).length,
    ).toBe(0);
    // Safe methods need no token.
    const read = await send({ method: 'GET', url: '/api/connectors', headers: { cookie: session.cookie } });
    expect(read.statusCode).toBe(200);
  });

  it('stops honouring the sessions and tokens of a disabled user, and a demoted admin is a user at once', async () => {
    const created = await booted.store.createUser({
      name: 'temp-admin',
      role: 'admin',
      passwordHash: await hashPassword('temp-admin-password'),
    });
    const session = await login('temp-admin', 'temp-admin-password');
    const token = (
      await send({ method: 'POST', url: '/api/tokens', headers: asSession(session), payload: { name: 't' } })
    ).json().token as string;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await send({ method: 'GET', url: '/api/configuration', headers: bearer })).statusCode).toBe(200);

    await booted.store.updateUser(created.id, { role: 'user' });
    for (const headers of [asSession(session), bearer]) {
      const response = await send({ method: 'GET', url: '/api/configuration', headers });
      expect(response.statusCode).toBe(403);
    }
    const page = await send({ method: 'GET', url: '/configuration', headers: { cookie: session.cookie } });
    expect(page.statusCode).toBe(403);

    await booted.store.updateUser(created.id, { disabled: true });
    for (const headers of [asSession(session), bearer]) {
      const response = await send({ method: 'GET', url: '/api/vms', headers });
      expect(response.statusCode).toBe(401);
    }
    const vms = await send({ method: 'GET', url: '/vms', headers: { cookie: session.cookie } });
    expect(vms.statusCode).toBe(303);
    expect(vms.headers.location).toBe('/login?next=%2Fvms');
    const again = await send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'temp-admin', password: 'temp-admin-password' },
    });
    expect(again.statusCode).toBe(401);
  });

  it('creates an API token shown once, which then works without CSRF', async () => {
    const session = await login('admin', ADMIN_PASSWORD);
    const created = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: asSession(session),
      payload: { name: 'ci' },
    });
    expect(created.statusCode).toBe(201);
    const { token, name, user } = created.json();
    expect(token).toMatch(/^ssk_[A-Za-z0-9_-]{43}$/);
    expect(name).toBe('ci');
    expect(user.name).toBe('admin');
    expect(user).not.toHaveProperty('passwordHash');
    const viaToken = await send({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'scripted', role: 'user', password: 'scripted-password' },
    });
    expect(viaToken.statusCode).toBe(201);
    const duplicate = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: asSession(session),
      payload: { name: 'ci' },
    });
    expect(duplicate.statusCode).toBe(400);
  });

  it('records when a token was last used, to the minute, without a write per request', async () => {
    const session = await login('admin', ADMIN_PASSWORD);
    const created = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: asSession(session),
      payload: { name: 'audited' },
    });
    const { id, token } = created.json();
    const lastUsed = async (): Promise<string | undefined> => {
      const admin = await booted.store.getUserByName('admin');
      const tokens = await booted.store.listApiTokens(admin?.id ?? '');
      return tokens.find((record) => record.id === id)?.lastUsedAt;
    };
    const use = () =>
      send({ method: 'GET', url: '/api/connectors', headers: { authorization: `Bearer ${token}` } });
    expect(await lastUsed()).toBeUndefined();
    await use();
    const first = await lastUsed();
    expect(first).toBe(new Date(clock).toISOString());
    clock += 30_000;
    await use();
    expect(await lastUsed()).toBe(first);
    clock += 31_000;
    await use();
    expect(await lastUsed()).toBe(new Date(clock).toISOString());
  });
});

describe('POST /api/users', () => {
  it('lets an administrator create a user with a generated password, returned once', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    const response = await send({
      method: 'POST',
      url: '/api/users',
      headers: asSession(admin),
      payload: { name: 'bob', role: 'user' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.user).toMatchObject({ name: 'bob', role: 'user' });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(typeof body.password).toBe('string');
    const bob = await login('bob', body.password);
    expect(bob.csrfToken).not.toBe(admin.csrfToken);
  });

  it('refuses non-administrators with 403 and stores nothing', async () => {
    const bob = await login('scripted', 'scripted-password');
    const response = await send({
      method: 'POST',
      url: '/api/users',
      headers: asSession(bob),
      payload: { name: 'eve', role: 'admin' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('PERMISSION_DENIED');
    expect(await booted.store.getUserByName('eve')).toBeUndefined();
  });

  it('refuses a duplicate name, a bad role and a bad name with 400', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    for (const payload of [
      { name: 'bob', role: 'user' },
      { name: 'carol', role: 'root' },
      { name: ' spaced', role: 'user' },
      { name: 'dave', role: 'user', password: '' },
    ]) {
      const response = await send({ method: 'POST', url: '/api/users', headers: asSession(admin), payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('INVALID_REQUEST');
    }
    const names = (await booted.store.listUsers()).map((user) => user.name);
    expect(names).not.toEqual(expect.arrayContaining(['carol']));
    expect(names).not.toContain(' spaced');
    expect(names).not.toContain('dave');
  });
});

describe('bad input', () => {
  it('answers malformed JSON with a 400 saying so', async () => {
    const response = await send({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "admin", "password": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('not valid JSON'),
    });
  });

  it('answers a malformed or over-long path in the API error shape, without quoting the path', async () => {
    const admin = asSession(await login('admin', ADMIN_PASSWORD));
    const long = 'x'.repeat(5000);
    for (const [url, status] of [
      ['/api/clouds/%ff%00/images', 400],
      [`/api/vms/local/${long}`, 414],
    ] as const) {
      const response = await send({ method: 'DELETE', url, headers: admin });
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json().error).toEqual({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('path'),
      });
      expect(response.body).not.toContain('%ff');
      expect(response.body).not.toContain(long);
    }
  });

  it('refuses __proto__ and constructor.prototype keys with a message that names them', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    for (const payload of [
      '{"name":"mallory","role":"user","__proto__":{"role":"admin"}}',
      '{"name":"mallory","role":"user","constructor":{"prototype":{"role":"admin"}}}',
    ]) {
      const response = await send({
        method: 'POST',
        url: '/api/users',
        headers: { ...asSession(admin), 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('"__proto__"');
    }
    expect(await booted.store.getUserByName('mallory')).toBeUndefined();
  });

  it('names an unknown field and a mistyped field, and stores nothing', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    const unknown = await send({
      method: 'POST',
      url: '/api/users',
      headers: asSession(admin),
      payload: { name: 'frank', role: 'user', isAdmin: true },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('"isAdmin"');
    expect(unknown.json().error.message).toContain('remove it');
    const mistyped = await send({
      method: 'POST',
      url: '/api/users',
      headers: asSession(admin),
      payload: { name: 42, role: 'user' },
    });
    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.json().error.message).toContain('"name"');
    const missing = await send({ method: 'POST', url: '/api/login', payload: { username: 'admin' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('"password"');
    expect(await booted.store.getUserByName('frank')).toBeUndefined();
  });

  it('answers a body over the limit with 413, and non-JSON bodies with 415', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    const huge = await send({
      method: 'POST',
      url: '/api/users',
      headers: { ...asSession(admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'huge', role: 'user', password: 'x'.repeat(BODY_LIMIT) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain(`${BODY_LIMIT} bytes`);
    const text = await send({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'username=admin',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.message).toContain('application/json');
    expect(await booted.store.getUserByName('huge')).toBeUndefined();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await send({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json().error).toEqual({
      code: 'NOT_FOUND',
      message: "There is no GET /api/nothing-here; see /api/openapi.json for the API's routes.",
    });
  });
});

describe('status', () => {
  it('GET /api/health needs no login and lists the loaded instances', async () => {
    const response = await send({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      store: { kind: 'sqlite', location: expect.stringMatching(/slipstream\.db$/), reachable: true },
      instances: ['local'],
      problems: [],
      restartRequired: false,
    });
  });

  it('GET /api/connectors shows each loaded instance with its package and license', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    const response = await send({ method: 'GET', url: '/api/connectors', headers: { cookie: admin.cookie } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.problems).toEqual([]);
    expect(body.instances).toEqual([
      {
        name: 'local',
        connector: 'local',
        cloud: expect.any(String),
        package: '@slipstream/connector-local',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        license: expect.any(String),
        openSource: true,
        status: 'loaded',
      },
    ]);
  });

  it('GET /api/openapi.json describes every route the app serves', async () => {
    const response = await send({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /api/login',
        'POST /api/logout',
        'POST /api/tokens',
        'GET /api/tokens',
        'DELETE /api/tokens/{id}',
        'POST /api/users',
        'GET /api/users',
        'PATCH /api/users/{name}',
        'GET /api/health',
        'GET /api/connectors',
        'GET /api/openapi.json',
        'GET /api/configuration',
        'PUT /api/configuration',
        'GET /api/credentials',
        'PUT /api/credentials/{instance}',
        'GET /api/clouds/{instance}/images',
        'GET /api/clouds/{instance}/sizes',
        'GET /api/clouds/{instance}/zones',
        'POST /api/clouds/{instance}/vms',
        'GET /api/vms',
        'DELETE /api/vms/{instance}/{id}',
        'POST /api/vms/{instance}/{id}/stop',
        'POST /api/vms/{instance}/{id}/start',
      ].sort(),
    );
    for (const operation of operations) {
      const [method, path] = operation.split(' ') as [string, string];
      // OpenAPI `{instance}` is Fastify's `:instance`.
      const url = path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
      expect(app.hasRoute({ method: method as 'GET', url }), operation).toBe(true);
    }
    const users = document.paths['/api/users'].post;
    expect(users.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(users.security).toEqual([{ sessionCookie: [] }, { bearerToken: [] }]);
    const change = document.paths['/api/users/{name}'].patch.requestBody.content['application/json'].schema;
    expect(change.minProperties).toBe(1);
    expect(change.properties.password.description).toContain('null generates one');
    expect(document.paths['/api/health'].get.security).toEqual([]);
    // Every path parameter is declared and described, 404 listed for it, and the VM listing's query parameter.
    expect(document.paths['/api/tokens/{id}'].delete.parameters[0].description).toBe(
      'The token id, as listed by GET /api/tokens',
    );
    expect(
      document.paths['/api/vms/{instance}/{id}'].delete.parameters.map(
        (p: { description: string }) => p.description,
      ),
    ).toEqual([
      'A connector instance name, as listed by GET /api/connectors',
      "The VM's id in its cloud, as listed by GET /api/vms",
    ]);
    expect(Object.keys(document.paths['/api/users/{name}'].patch.responses)).toContain('404');
    expect(Object.keys(document.paths['/api/clouds/{instance}/vms'].post.responses)).toEqual(
      expect.arrayContaining(['404', '409', '429', '502', '503']),
    );
    expect(Object.keys(document.paths['/api/health'].get.responses)).not.toContain('404');
    for (const [path, methods] of Object.entries(
      document.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>,
    )) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      for (const operation of Object.values(methods)) {
        expect(
          (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
          path,
        ).toEqual(inPath);
      }
    }
    expect(document.paths['/api/vms'].get.parameters).toEqual([
      expect.objectContaining({
        name: 'all',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['true', 'false'] },
      }),
    ]);
  });
});

describe('secrets', () => {
  it('never show the admin password, session ids or tokens in bodies or logs, except where returned once', async () => {
    const admin = await login('admin', ADMIN_PASSWORD);
    const created = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: asSession(admin),
      payload: { name: 'leak-check' },
    });
    const token: string = created.json().token;
    await send({ method: 'GET', url: '/api/connectors', headers: { authorization: `Bearer ${token}` } });
    await send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'admin', password: `${ADMIN_PASSWORD}-wrong` },
    });
    const shownOnce = bodies.filter((body) => body.includes(token));
    expect(shownOnce).toHaveLength(1);
    for (const body of bodies) {
      expect(body).not.toContain(ADMIN_PASSWORD);
      expect(body).not.toContain(admin.sessionId);
      expect(body).not.toMatch(/\n\s+at /);
    }
    const logs = logLines.join('');
    expect(logs).toContain('login failed');
    expect(logs).toContain('"url":"/api/tokens"');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [ADMIN_PASSWORD, admin.sessionId, admin.csrfToken, token, 'scripted-password']) {
      expect(logs).not.toContain(secret);
    }
  });
});
