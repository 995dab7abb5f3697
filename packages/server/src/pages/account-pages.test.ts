import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../http/test-server.js';
import { hashToken } from '../security/generated.js';
import { CONTENT_SECURITY_POLICY } from './layout.js';

const ADMIN_PASSWORD = 'admin-Pa55word-for-account-pages';
const HOSTILE_TOKEN_NAME = '<img src=x onerror=alert(1)>';

let server: TestServer;
let admin: Record<string, string>;
let ivy: Record<string, string>;
const page = (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
  server.send({
    method: 'GET',
    url,
    headers: headers.cookie === undefined ? {} : { cookie: headers.cookie },
  });

/** The opening tag of the element with this id (or undefined). */
function tagWithId(body: string, id: string): string | undefined {
  return new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0];
}

/** The whole element with this id when it is empty (`<div id=…></div>`), or undefined. */
function emptyElement(body: string, id: string): string | undefined {
  return new RegExp(`<([a-z]+)[^>]*\\bid="${id}"[^>]*></\\1>`).exec(body)?.[0];
}

function row(body: string, attribute: string, value: string): string {
  return new RegExp(`<tr ${attribute}="${value}"[^>]*>[\\s\\S]*?</tr>`).exec(body)?.[0] ?? '';
}

beforeAll(async () => {
  server = await startTestServer({
    name: 'account-pages',
    adminPassword: ADMIN_PASSWORD,
    connectors: 'local',
  });
  await server.createUser('ivy', 'ivy-Pa55word');
  const jack = await server.createUser('jack', 'jack-Pa55word');
  await server.booted.store.updateUser(jack.id, { disabled: true });
  admin = await server.login('admin', ADMIN_PASSWORD);
  ivy = await server.login('ivy', 'ivy-Pa55word');
}, 60_000);

afterAll(() => server?.close());

describe('navigation', () => {
  it('shows Users after Configuration to administrators only, and API tokens to everyone', async () => {
    const administrator = (await page('/vms', admin)).body;
    const links = [...administrator.matchAll(/<nav>[\s\S]*?<\/nav>/g)][0]?.[0] ?? '';
    expect([...links.matchAll(/href="(\/[a-z]+)"/g)].map(([, href]) => href)).toEqual([
      '/vms',
      '/credentials',
      '/connectors',
      '/configuration',
      '/users',
      '/tokens',
    ]);
    expect(links).toContain('>API tokens</a>');
    const user = (await page('/vms', ivy)).body;
    expect(user).not.toContain('href="/users"');
    expect(user).toContain('href="/tokens"');
  });

  it('sends strangers to the login page', async () => {
    for (const url of ['/users', '/tokens']) {
      const response = await page(url);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });
});

describe('the users page', () => {
  it('is an HTML 403 for a user, without the table or form', async () => {
    const response = await page('/users', ivy);
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('Only administrators');
    expect(response.body).not.toContain('users-table');
    expect(response.body).not.toContain('user-form');
    expect(response.body).not.toContain('data-user="admin"');
  });

  it('lists every user with role, status, creation time and actions, never a hash', async () => {
    const response = await page('/users', admin);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const { body } = response;
    expect(body).toContain('<a href="/users" aria-current="page">Users</a>');
    expect(tagWithId(body, 'users-table')).toContain('data-self="admin"');
    const self = row(body, 'data-user', 'admin');
    expect(self).toContain('data-role="admin" data-disabled="false"');
    expect(self).toContain('(you)');
    expect(self).toContain('<td class="role">admin</td><td class="status">enabled</td>');
    expect(self).toMatch(/<td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/td>/);
    expect(self).toContain('<button type="button" data-action="role">Make user</button>');
    expect(self).toContain('data-action="disable">Disable</button>');
    expect(self).toContain('data-action="password">Reset password</button>');
    const ivyRow = row(body, 'data-user', 'ivy');
    expect(ivyRow).toContain('data-action="role">Make admin</button>');
    expect(ivyRow).not.toContain('(you)');
    const jack = row(body, 'data-user', 'jack');
    expect(jack).toContain('data-disabled="true" class="disabled"');
    expect(jack).toContain('<td class="status">disabled</td>');
    expect(jack).toContain('data-action="enable">Enable</button>');
    for (const user of await server.booted.store.listUsers()) expect(body).not.toContain(user.passwordHash);
    expect(body).not.toContain('scrypt$');
    expect(body).not.toMatch(/<script(?![^>]*\ssrc=)/);
    // Inside tags only: the escaped hostile name is text that mentions onerror.
    expect(body).not.toMatch(/<[^>]*\s(style|on[a-z]+)=|<style/);
  });

  it('has the create form and an empty, hidden place for a generated password', async () => {
    const { body } = await page('/users', admin);
    const form = /<form id="user-form"[\s\S]*?<\/form>/.exec(body)?.[0] ?? '';
    expect(form).toContain('name="name"');
    expect(form).toMatch(
      /<select name="role"><option value="user" selected>user<\/option><option value="admin">/,
    );
    expect(form).toContain('<input type="password" name="password"');
    expect(emptyElement(body, 'user-password')).toContain('hidden');
    expect(emptyElement(body, 'user-form-message')).toContain('hidden');
  });
});

describe('the API tokens page', () => {
  it("lists the caller's tokens only, escaping names, never a token or hash", async () => {
    const created = await server.send({
      method: 'POST',
      url: '/api/tokens',
      headers: ivy,
      payload: { name: HOSTILE_TOKEN_NAME },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json() as { id: string; token: string };
    await server.send({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'admins-own' },
    });

    const response = await page('/tokens', ivy);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const { body } = response;
    const tokenRow = row(body, 'data-token', id);
    expect(tokenRow).toContain('<td class="name">&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(tokenRow).toContain('<td>never</td>');
    expect(tokenRow).toContain('<button type="button" data-action="revoke">Revoke</button>');
    expect(body).not.toContain(HOSTILE_TOKEN_NAME);
    expect(body).not.toContain('admins-own');
    expect(body).not.toContain(token);
    expect(body).not.toContain(hashToken(token));
    expect(body).not.toMatch(/<script(?![^>]*\ssrc=)/);
    // Inside tags only: the escaped hostile name is text that mentions onerror.
    expect(body).not.toMatch(/<[^>]*\s(style|on[a-z]+)=|<style/);

    const form = /<form id="token-form"[\s\S]*?<\/form>/.exec(body)?.[0] ?? '';
    expect(form).toContain('name="name"');
    expect(emptyElement(body, 'new-token')).toContain('hidden');
    expect(emptyElement(body, 'token-form-message')).toContain('hidden');

    await server.send({ method: 'GET', url: '/api/vms', headers: { authorization: `Bearer ${token}` } });
    const used = await page('/tokens', ivy);
    const usedRow = row(used.body, 'data-token', id);
    expect(usedRow).not.toContain('<td>never</td>');
    expect(usedRow).toMatch(/ UTC<\/td><td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/td><td class="actions">/);
  });

  it('says so when there are no tokens', async () => {
    const kim = await server.createUser('kim', 'kim-Pa55word');
    const session = await server.login('kim', 'kim-Pa55word');
    const { body } = await page('/tokens', session);
    expect(body).toContain(
      '<tbody id="tokens-rows"><tr class="empty"><td colspan="4">No API tokens yet: create one above.</td></tr></tbody>',
    );
    expect(await server.booted.store.listApiTokens(kim.id)).toEqual([]);
  });
});

describe('the script', () => {
  it('never turns text into markup itself: markup only comes from the pages the server renders', async () => {
    const { body } = await page('/assets/slipstream.js');
    expect(body).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment/,
    );
  });
});
