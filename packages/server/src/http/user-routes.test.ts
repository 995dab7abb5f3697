import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../boot/boot.js';
import { hashPassword } from '../security/passwords.js';
import { writeOldStore } from '../testing/old-store.js';
import { startTestServer, type TestServer } from './test-server.js';

const ADMIN_PASSWORD = 'admin-Pa55word-for-user-routes';
const ERIN_PASSWORD = 'erin-Pa55word-for-user-routes';

let server: TestServer;
let admin: Record<string, string>;
const send = (options: InjectOptions): Promise<LightMyRequestResponse> => server.send(options);
const patch = (
  name: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = admin,
): Promise<LightMyRequestResponse> => send({ method: 'PATCH', url: `/api/users/${name}`, headers, payload });
const login = (username: string, password: string): Promise<LightMyRequestResponse> =>
  send({ method: 'POST', url: '/api/login', payload: { username, password } });

beforeAll(async () => {
  server = await startTestServer({ name: 'users', adminPassword: ADMIN_PASSWORD, connectors: 'local' });
  await server.createUser('erin', ERIN_PASSWORD);
  admin = await server.login('admin', ADMIN_PASSWORD);
}, 60_000);

afterAll(() => server?.close());

describe('GET /api/users', () => {
  it('lists every user with role, status and creation time, never a hash or id', async () => {
    const response = await send({ method: 'GET', url: '/api/users', headers: admin });
    expect(response.statusCode).toBe(200);
    const { users } = response.json() as { users: Record<string, unknown>[] };
    expect(users.map((user) => user.name)).toEqual(['admin', 'erin']);
    expect(users[1]).toEqual({
      name: 'erin',
      role: 'user',
      disabled: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(response.body).not.toMatch(/scrypt|passwordHash|"id"/);
  });

  it('is for administrators only, by session or token', async () => {
    const erin = await server.login('erin', ERIN_PASSWORD);
    const token = (
      await send({ method: 'POST', url: '/api/tokens', headers: erin, payload: { name: 'erin-script' } })
    ).json().token as string;
    for (const headers of [erin, { authorization: `Bearer ${token}` }]) {
      const listed = await send({ method: 'GET', url: '/api/users', headers });
      expect(listed.statusCode).toBe(403);
      expect(listed.json().error.code).toBe('PERMISSION_DENIED');
      const promoted = await patch('erin', { role: 'admin' }, headers);
      expect(promoted.statusCode).toBe(403);
    }
    expect((await server.booted.store.getUserByName('erin'))?.role).toBe('user');
    const stranger = await send({ method: 'GET', url: '/api/users' });
    expect(stranger.statusCode).toBe(401);
  });
});

describe('PATCH /api/users/{name}', () => {
  it('changes a role both ways', async () => {
    const promoted = await patch('erin', { role: 'admin' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toEqual({ user: expect.objectContaining({ name: 'erin', role: 'admin' }) });
    const erin = await server.login('erin', ERIN_PASSWORD);
    expect((await send({ method: 'GET', url: '/api/users', headers: erin })).statusCode).toBe(200);
    const demoted = await patch('erin', { role: 'user' });
    expect(demoted.json().user.role).toBe('user');
    expect((await send({ method: 'GET', url: '/api/users', headers: erin })).statusCode).toBe(403);
  });

  it('answers 404 for an unknown user and 400 for an empty, unknown or mistyped change', async () => {
    const unknown = await patch('nobody', { role: 'admin' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('"nobody"') });
    for (const payload of [{}, { isAdmin: true }, { role: 'root' }, { disabled: 'yes' }, { password: '' }]) {
      const response = await patch('erin', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('INVALID_REQUEST');
    }
    const user = await server.booted.store.getUserByName('erin');
    expect(user?.role).toBe('user');
    expect(user?.disabled).toBeUndefined();
  });

  it('refuses to demote or disable the last enabled administrator, changing nothing', async () => {
    for (const payload of [
      { role: 'user' },
      { disabled: true },
      { role: 'user', password: 'new-admin-pass' },
    ]) {
      const response = await patch('admin', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.message).toBe(
        '"admin" is the last enabled administrator: the server needs one; make another user an administrator first.',
      );
    }
    const stored = await server.booted.store.getUserByName('admin');
    expect(stored?.role).toBe('admin');
    expect(stored?.disabled).toBeUndefined();
    // The password was part of a refused change: the old one still works.
    expect((await login('admin', ADMIN_PASSWORD)).statusCode).toBe(200);
    expect((await send({ method: 'GET', url: '/api/users', headers: admin })).statusCode).toBe(200);
  });

  it('lets an administrator step down once another enabled administrator exists', async () => {
    const frank = await server.createUser('frank', 'frank-Pa55word', 'admin');
    await server.booted.store.updateUser(frank.id, { disabled: true });
    // A disabled administrator does not count.
    expect((await patch('admin', { role: 'user' })).statusCode).toBe(400);
    await server.booted.store.updateUser(frank.id, { disabled: false });
    const frankSession = await server.login('frank', 'frank-Pa55word');
    const demoted = await patch('admin', { role: 'user' });
    expect(demoted.statusCode).toBe(200);
    expect((await send({ method: 'GET', url: '/api/users', headers: admin })).statusCode).toBe(403);
    // Frank is now the last one, and cannot leave either.
    expect((await patch('frank', { disabled: true }, frankSession)).statusCode).toBe(400);
    expect((await patch('admin', { role: 'admin' }, frankSession)).statusCode).toBe(200);
    expect((await patch('frank', { role: 'user' }, admin)).statusCode).toBe(200);
  });

  it('disabling ends the sessions at once, refuses tokens and logins; enabling lets them log in again', async () => {
    const erin = await server.login('erin', ERIN_PASSWORD);
    const token = (
      await send({ method: 'POST', url: '/api/tokens', headers: erin, payload: { name: 'erin-disabled' } })
    ).json().token as string;
    const erinId = (await server.booted.store.getUserByName('erin'))?.id ?? '';

    const disabled = await patch('erin', { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().user).toMatchObject({ name: 'erin', disabled: true });
    const sessionId = erin.cookie?.split('=')[1] ?? '';
    expect(await server.booted.store.getSession(sessionId)).toBeUndefined();
    for (const headers of [erin, { authorization: `Bearer ${token}` }]) {
      const response = await send({ method: 'GET', url: '/api/connectors', headers });
      expect(response.statusCode).toBe(401);
    }
    expect((await login('erin', ERIN_PASSWORD)).statusCode).toBe(401);
    const listed = await send({ method: 'GET', url: '/api/users', headers: admin });
    expect(listed.json().users).toContainEqual(expect.objectContaining({ name: 'erin', disabled: true }));

    const enabled = await patch('erin', { disabled: false });
    expect(enabled.json().user.disabled).toBe(false);
    expect((await login('erin', ERIN_PASSWORD)).statusCode).toBe(200);
    // The token was kept while disabled (disabling is reversible) and works again.
    const again = await send({
      method: 'GET',
      url: '/api/connectors',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.statusCode).toBe(200);
    expect((await server.booted.store.listApiTokens(erinId)).length).toBeGreaterThan(0);
  });

  it('sets a given password, or generates one returned once, ending the old sessions', async () => {
    const erin = await server.login('erin', ERIN_PASSWORD);
    const set = await patch('erin', { password: 'erin-chosen-Pa55' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).not.toHaveProperty('password');
    expect(set.body).not.toContain('erin-chosen-Pa55');
    expect((await send({ method: 'GET', url: '/api/connectors', headers: erin })).statusCode).toBe(401);
    expect((await login('erin', ERIN_PASSWORD)).statusCode).toBe(401);
    expect((await login('erin', 'erin-chosen-Pa55')).statusCode).toBe(200);

    const reset = await patch('erin', { password: null });
    expect(reset.statusCode).toBe(200);
    const generated = reset.json().password as string;
    expect(generated).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    expect((await login('erin', 'erin-chosen-Pa55')).statusCode).toBe(401);
    expect((await login('erin', generated)).statusCode).toBe(200);
    await patch('erin', { password: ERIN_PASSWORD });
  });

  it("keeps the caller's own session when they change their own password", async () => {
    const session = await server.login('admin', ADMIN_PASSWORD);
    const other = await server.login('admin', ADMIN_PASSWORD);
    const changed = await patch('admin', { password: `${ADMIN_PASSWORD}-2` }, session);
    expect(changed.statusCode).toBe(200);
    expect((await send({ method: 'GET', url: '/api/users', headers: session })).statusCode).toBe(200);
    expect((await send({ method: 'GET', url: '/api/users', headers: other })).statusCode).toBe(401);
    await patch('admin', { password: ADMIN_PASSWORD }, session);
    admin = await server.login('admin', ADMIN_PASSWORD);
  });

  it('never logs passwords or hashes', async () => {
    const logs = server.logLines.join('');
    expect(logs).toContain('changed a user');
    const hashes = (await server.booted.store.listUsers()).map((user) => user.passwordHash);
    for (const secret of [ADMIN_PASSWORD, ERIN_PASSWORD, 'erin-chosen-Pa55', 'scrypt$', ...hashes]) {
      expect(logs).not.toContain(secret);
    }
    for (const body of server.bodies) {
      expect(body).not.toContain('scrypt$');
      for (const hash of hashes) expect(body).not.toContain(hash);
    }
  });
});

describe('user names that differ only in case', () => {
  it('refuses to create "Erin" beside "erin", naming the existing account', async () => {
    const response = await send({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { name: 'Erin', role: 'admin' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/A user named "erin" already exists.*choose another name/),
    });
    const erins = (await server.booted.store.listUsers()).filter(
      (user) => user.name.toLowerCase() === 'erin',
    );
    expect(erins.map((user) => [user.name, user.role])).toEqual([['erin', 'user']]);
  });
});

describe('accounts renamed by the upgrade to case-insensitive names', () => {
  const KEPT_PASSWORD = 'dana-Pa55word-kept';
  const RENAMED_PASSWORD = 'Dana-Pa55word-renamed';
  let upgraded: TestServer;
  let upgradedAdmin: Record<string, string>;

  beforeAll(async () => {
    const [kept, renamed] = await Promise.all([hashPassword(KEPT_PASSWORD), hashPassword(RENAMED_PASSWORD)]);
    upgraded = await startTestServer({
      name: 'users-renamed',
      adminPassword: ADMIN_PASSWORD,
      connectors: 'local',
      prepareHome: (home) => {
        writeOldStore(join(home, STORE_FILE), 2, [
          { name: 'dana', createdAt: '2026-01-01T00:00:00.000Z', passwordHash: kept },
          { name: 'Dana', createdAt: '2026-01-02T00:00:00.000Z', passwordHash: renamed },
        ]);
      },
    });
    upgradedAdmin = await upgraded.login('admin', ADMIN_PASSWORD);
  }, 60_000);

  afterAll(() => upgraded?.close());

  it('shows renamedFrom on the renamed account only, in the API and on the users page', async () => {
    const response = await upgraded.send({ method: 'GET', url: '/api/users', headers: upgradedAdmin });
    expect(response.statusCode).toBe(200);
    const users = (response.json() as { users: Record<string, unknown>[] }).users;
    expect(users.find((user) => user.name === 'Dana-2')).toMatchObject({ renamedFrom: 'Dana' });
    expect(users.find((user) => user.name === 'dana')).not.toHaveProperty('renamedFrom');
    expect(users.find((user) => user.name === 'admin')).not.toHaveProperty('renamedFrom');

    const changed = await upgraded.send({
      method: 'PATCH',
      url: '/api/users/dana-2',
      headers: upgradedAdmin,
      payload: { disabled: false },
    });
    expect(changed.json().user).toMatchObject({ name: 'Dana-2', renamedFrom: 'Dana' });

    const page = await upgraded.send({
      method: 'GET',
      url: '/users',
      headers: { cookie: upgradedAdmin.cookie ?? '' },
    });
    const row = /<tr data-user="Dana-2"[\s\S]*?<\/tr>/.exec(page.body)?.[0] ?? '';
    expect(row).toContain('(renamed from Dana)');
    expect(/<tr data-user="dana"[\s\S]*?<\/tr>/.exec(page.body)?.[0]).not.toContain('renamed');
  });

  it('lets the renamed account log in with its new name only', async () => {
    const renamed = await upgraded.send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'Dana-2', password: RENAMED_PASSWORD },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().user.name).toBe('Dana-2');
    // The old spelling is the older account's name now.
    const oldName = await upgraded.send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'Dana', password: RENAMED_PASSWORD },
    });
    expect(oldName.statusCode).toBe(401);
    const kept = await upgraded.send({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'Dana', password: KEPT_PASSWORD },
    });
    expect(kept.json().user.name).toBe('dana');
  });
});
