import { join } from 'node:path';
import { Script } from 'node:vm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../boot/boot.js';
import { credentialAad } from '../credentials/credentials.js';
import { startTestServer, type TestServer } from '../http/test-server.js';
import { openSqliteStore } from '../store/sqlite.js';
import { CONTENT_SECURITY_POLICY, RESTART_MESSAGE } from './layout.js';

const ADMIN_PASSWORD = 'admin-Pa55word-for-pages';
const USER_PASSWORD = 'dora-Pa55word-for-pages';
const ACCOUNT_SECRET = 'Dora-Cloud-Secret-5150';
const HOSTILE_SETTING = '<script>alert(1)</script>';
const HOSTILE_VM = '<img src=x onerror=alert(1)>';
/** A secret parameter of an instance whose connector is not installed: nothing says it is secret. */
const UNINSTALLED_SECRET = 'Exo-Api-Secret-2468';

let server: TestServer;
let admin: Record<string, string>;
let dora: Record<string, string>;
const send = (options: InjectOptions): Promise<LightMyRequestResponse> => server.send(options);
const page = (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
  send({ method: 'GET', url, headers: headers.cookie === undefined ? {} : { cookie: headers.cookie } });

/** The opening tag of the element with this id (or undefined). */
function tagWithId(body: string, id: string): string | undefined {
  return new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0];
}

/**
 * Stores a user's credentials as a save would, sealed, but without asking the cloud: credentials
 * that stopped working after they were saved (a save refuses credentials the cloud rejects).
 */
async function storeCredentialsUnchecked(
  userName: string,
  instance: string,
  values: { key: string; secret: string },
): Promise<void> {
  const { store, box } = server.booted;
  const user = await store.getUserByName(userName);
  if (user === undefined) throw new Error(`no user ${userName}`);
  await store.putCredentials(user.id, instance, {
    key: { kind: 'plain', value: values.key },
    secret: { kind: 'secret', blob: box.seal(values.secret, credentialAad(user.id, instance, 'secret')) },
  });
}

beforeAll(async () => {
  server = await startTestServer({
    name: 'pages',
    adminPassword: ADMIN_PASSWORD,
    connectors: 'local',
    // exoscale is a known connector that is not installed here: the instance does not load. A first
    // start refuses such a list, so it is in the store before the boot, as a later save leaves it.
    prepareHome: async (home) => {
      const store = await openSqliteStore({ file: join(home, STORE_FILE) });
      await store.replaceConfiguration({
        basics: { connectors: 'local,exo:exoscale', settings: { motto: HOSTILE_SETTING } },
        instances: {
          local: {
            accounts: { kind: 'plain', value: `dora:${ACCOUNT_SECRET}` },
            'boot.delay.ms': { kind: 'plain', value: 50 },
            'halt.delay.ms': { kind: 'plain', value: 50 },
          },
          exo: {
            'api.key': { kind: 'plain', value: 'EXO-key' },
            'api.secret': { kind: 'plain', value: UNINSTALLED_SECRET },
          },
        },
      });
      await store.close();
    },
  });
  await server.createUser('dora', USER_PASSWORD);
  admin = await server.login('admin', ADMIN_PASSWORD);
  dora = await server.login('dora', USER_PASSWORD);
}, 60_000);

afterAll(() => server?.close());

describe('logging in', () => {
  it('sends strangers to the login page, keeping where they were going', async () => {
    const vms = await page('/vms');
    expect(vms.statusCode).toBe(303);
    expect(vms.headers.location).toBe('/login?next=%2Fvms');
    const configuration = await page('/configuration?tab=1');
    expect(configuration.headers.location).toBe(`/login?next=${encodeURIComponent('/configuration?tab=1')}`);
    const root = await page('/');
    expect(root.statusCode).toBe(303);
    expect(root.headers.location).toBe('/login');
    const stale = await page('/connectors', { cookie: 'slipstream_session=not-a-session' });
    expect(stale.statusCode).toBe(303);
  });

  it('renders the login form with the CSP and no inline script or style', async () => {
    const response = await page('/login?next=%2Fcredentials');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(tagWithId(response.body, 'login-form')).toContain('data-next="/credentials"');
    expect(response.body).toContain('name="username"');
    expect(response.body).toContain('name="password"');
    expect(tagWithId(response.body, 'login-error')).toContain('hidden');
    expect(response.body).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(response.body).not.toMatch(/\sstyle=|<style/);
    expect(response.body).not.toMatch(/\son[a-z]+=/);
  });

  it('refuses a next that leaves the site', async () => {
    for (const next of [
      'https://evil.example/',
      '//evil.example/vms',
      '/\\evil.example',
      '/\n/evil',
      '/\t/evil.example',
      'javascript:alert(1)',
      '/ /x',
    ]) {
      const response = await page(`/login?next=${encodeURIComponent(next)}`);
      expect(tagWithId(response.body, 'login-form'), next).toContain('data-next="/vms"');
    }
  });

  it('sends a logged-in user on instead of showing the login page again', async () => {
    const login = await page('/login?next=%2Fconnectors', dora);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/connectors');
    const root = await page('/', dora);
    expect(root.headers.location).toBe('/vms');
  });
});

describe('the layout', () => {
  it('shows the user, the CSRF token of the session, and the Configuration link to administrators only', async () => {
    const user = await page('/vms', dora);
    expect(user.statusCode).toBe(200);
    expect(user.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(user.body).toContain(`<meta name="csrf-token" content="${dora['x-csrf-token']}">`);
    expect(user.body).toContain('<span class="user">dora</span>');
    expect(user.body).toContain('id="logout"');
    expect(user.body).not.toContain('href="/configuration"');
    expect(user.body).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(user.body).not.toMatch(/\sstyle=|<style/);
    const administrator = await page('/vms', admin);
    expect(administrator.body).toContain('href="/configuration"');
    expect(administrator.body).toContain(`content="${admin['x-csrf-token']}"`);
  });

  it('serves the script and stylesheet with their content types; the script parses', async () => {
    const script = await page('/assets/slipstream.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('x-csrf-token');
    // One classic script (no import or export left): the bundle of browser/, not its source.
    expect(() => new Script(script.body)).not.toThrow();
    const style = await page('/assets/slipstream.css');
    expect(style.statusCode).toBe(200);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(style.body).toContain('system-ui');
  });
});

describe('the configuration page', () => {
  it('is an HTML 403 for a user', async () => {
    const response = await page('/configuration', dora);
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('Only administrators');
    expect(response.body).not.toContain('configuration-form');
  });

  it('renders Basics and a section per listed instance from the specs, secrets only as set', async () => {
    const response = await page('/configuration', admin);
    expect(response.statusCode).toBe(200);
    const { body } = response;
    expect(body).toContain('id="configuration-form"');
    expect(body).toContain('SlipStream Basics');
    expect(tagWithId(body, 'basics-connectors')).toContain('value="local,exo:exoscale"');
    expect(body).toContain('id="add-setting"');
    expect(body).toContain('id="save-configuration"');
    expect(body).toContain('id="configuration-problems"');
    expect(body).toContain('<section data-instance="local">');
    // Fields from local's parameter specs, plus core's common parameters.
    expect(tagWithId(body, 'f-local-boot.delay.ms')).toMatch(/type="number".*value="50"/);
    expect(tagWithId(body, 'f-local-quota.vm')).toContain('placeholder="20"');
    expect(body).toMatch(/<select id="f-local-zone"[^>]*data-type="enum">/);
    const accounts = tagWithId(body, 'f-local-accounts') ?? '';
    expect(accounts).toContain('type="password"');
    expect(accounts).toContain('placeholder="set — leave empty to keep"');
    expect(accounts).not.toContain('value=');
    expect(body).toContain('data-clear="accounts"');
    // The instance whose connector is not installed says so, with the install command.
    const exo = /<section data-instance="exo" data-missing="true">[\s\S]*?<\/section>/.exec(body)?.[0];
    expect(exo).toContain('Not installed');
    expect(exo).toContain('add @slipstream/connector-exoscale');
    expect(tagWithId(body, 'problems')).toBeDefined();
    expect(body).not.toContain(ACCOUNT_SECRET);
    expect(body).not.toContain('demo-secret');
  });

  it('GET /api/configuration shows no value of an instance whose connector specs are unknown', async () => {
    const response = await send({ method: 'GET', url: '/api/configuration', headers: admin });
    expect(response.statusCode).toBe(200);
    // Without the connector's specs nobody knows which values are secrets: all are shown as set.
    expect(response.json().instances.exo).toEqual({ 'api.key': { set: true }, 'api.secret': { set: true } });
    expect(response.body).not.toContain(UNINSTALLED_SECRET);
  });

  it('escapes hostile setting values', async () => {
    const { body } = await page('/configuration', admin);
    expect(body).not.toContain(HOSTILE_SETTING);
    expect(body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('the connectors page', () => {
  it('lists loaded and not-loaded instances, and installed packages against loaded ones', async () => {
    const { statusCode, body } = await page('/connectors', dora);
    expect(statusCode).toBe(200);
    const local = /<tr data-instance="local">[\s\S]*?<\/tr>/.exec(body)?.[0] ?? '';
    expect(local).toContain('@slipstream/connector-local');
    expect(local).toContain('<td>yes</td>');
    expect(local).toContain('<td class="status">loaded</td>');
    const exo = /<tr data-instance="exo"[^>]*>[\s\S]*?<\/tr>/.exec(body)?.[0] ?? '';
    expect(exo).toContain('<td class="status">not loaded</td>');
    expect(exo).toContain('is not installed');
    expect(tagWithId(body, 'problems')).toBeDefined();
    expect(body).toContain('id="packages-table"');
    expect(body).toMatch(/<tr data-package="@slipstream\/connector-local" data-status="loaded">/);
    expect(body).toMatch(
      /<tr data-package="@slipstream\/connector-cloudstack" data-status="not-listed">[\s\S]*?installed, not in the connector list/,
    );
  });

  it('GET /api/connectors has the same comparison', async () => {
    const response = await send({ method: 'GET', url: '/api/connectors', headers: dora });
    expect(response.statusCode).toBe(200);
    const installed = response.json().installed as { package: string; status: string }[];
    expect(installed).toContainEqual({
      package: '@slipstream/connector-local',
      connector: 'local',
      version: expect.any(String),
      loadedVersion: expect.any(String),
      status: 'loaded',
    });
    expect(installed.find((entry) => entry.package === '@slipstream/connector-openstack')?.status).toBe(
      'not-listed',
    );
  });
});

describe('the credentials and VMs pages', () => {
  it('shows a credentials form per loaded instance, never the saved values', async () => {
    const before = await page('/credentials', dora);
    expect(before.body).toContain('<form data-credentials="local" novalidate>');
    expect(before.body).toContain('not set');
    expect(before.body).not.toContain('data-credentials="exo"');
    const saved = await send({
      method: 'PUT',
      url: '/api/credentials/local',
      headers: dora,
      payload: { key: 'dora', secret: ACCOUNT_SECRET },
    });
    expect(saved.statusCode).toBe(200);
    const after = await page('/credentials', dora);
    expect(after.body).toMatch(/data-status>saved \d{4}-\d\d-\d\d /);
    expect(after.body).toMatch(/<input type="password" id="f-credentials-local-secret"/);
    expect(after.body).not.toContain(ACCOUNT_SECRET);
    expect(after.body).not.toContain('value="dora"');
  });

  it('renders the launch form and the VM table, escaping VM names, with errors per instance', async () => {
    const admins = await page('/vms', admin);
    expect(admins.body).toContain('local (no credentials)');
    expect(admins.body).toContain('href="/credentials"');
    expect(admins.body).toContain('id="all-users"');

    const launched = await send({
      method: 'POST',
      url: '/api/clouds/local/vms',
      headers: dora,
      payload: { name: HOSTILE_VM, image: 'debian-12', size: 'small', idempotencyKey: 'pages-test-1' },
    });
    expect(launched.statusCode).toBe(201);
    const id = launched.json().vms[0].cloudId as string;

    const { body } = await page('/vms', dora);
    expect(body).toContain('id="launch-form"');
    expect(body).toMatch(/<select name="instance"><option value="local" data-credentials="true" selected>/);
    for (const name of ['image', 'size', 'zone', 'name', 'count']) expect(body).toContain(`name="${name}"`);
    const row =
      new RegExp(`<tr data-vm-id="${id}" data-instance="local" data-record-id="[^"]+">[\\s\\S]*?</tr>`).exec(
        body,
      )?.[0] ?? '';
    expect(row).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(row).toMatch(/<td class="state">(pending|running)<\/td>/);
    expect(row).toContain('data-action="terminate"');
    expect(body).not.toContain(HOSTILE_VM);
    expect(tagWithId(body, 'vm-errors')).toContain('hidden');
    expect(body).not.toContain('id="all-users"');

    // An administrator sees it among all users' VMs, with its owner.
    const all = await page('/vms?all=true', admin);
    expect(all.body).toContain(`data-vm-id="${id}"`);
    expect(all.body).toContain('<td>dora</td>');

    // Credentials that stop working (a save would refuse them): the cloud's error shows above the
    // table, the VM stays listed.
    await storeCredentialsUnchecked('dora', 'local', { key: 'dora', secret: 'Wrong-Secret-1' });
    const broken = await page('/vms', dora);
    expect(tagWithId(broken.body, 'vm-errors')).not.toContain('hidden');
    expect(broken.body).toMatch(/id="vm-errors"[^>]*>local: /);
    expect(broken.body).toContain(`data-vm-id="${id}"`);
    await send({
      method: 'PUT',
      url: '/api/credentials/local',
      headers: dora,
      payload: { key: 'dora', secret: ACCOUNT_SECRET },
    });
    const terminated = await send({ method: 'DELETE', url: `/api/vms/local/${id}`, headers: dora });
    expect(terminated.statusCode).toBe(200);
  });
});

describe('the VM rows the script refreshes the table with', () => {
  /** The row of this VM in a page or fragment, or ''. */
  const vmRowIn = (body: string, id: string): string =>
    new RegExp(`<tr data-vm-id="${id}"[^>]*>[\\s\\S]*?</tr>`).exec(body)?.[0] ?? '';

  it('are for logged-in users only, by their session cookie', async () => {
    const stranger = await page('/vms/rows');
    expect(stranger.statusCode).toBe(401);
    expect(stranger.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(stranger.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(stranger.body).not.toContain('vm-rows');
    expect((await page('/vms/rows', { cookie: 'slipstream_session=not-a-session' })).statusCode).toBe(401);
    // An API token is for the API, not for the pages.
    const created = await send({
      method: 'POST',
      url: '/api/tokens',
      headers: dora,
      payload: { name: 'rows' },
    });
    const token = created.json().token as string;
    const byToken = await send({
      method: 'GET',
      url: '/vms/rows',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(401);
  });

  it("are the page's rows and errors box, escaped, and only the user's own unless an administrator asks", async () => {
    await send({
      method: 'PUT',
      url: '/api/credentials/local',
      headers: dora,
      payload: { key: 'dora', secret: ACCOUNT_SECRET },
    });
    const launched = await send({
      method: 'POST',
      url: '/api/clouds/local/vms',
      headers: dora,
      payload: { name: HOSTILE_VM, image: 'debian-12', size: 'small', idempotencyKey: 'pages-rows-1' },
    });
    expect(launched.statusCode).toBe(201);
    const id = launched.json().vms[0].cloudId as string;
    const rows = (url: string, session: Record<string, string>): Promise<string> =>
      page(url, session).then((response) => response.body);

    // Once the VM runs (and its row stops changing), the page and the fragment show the same row.
    await expect
      .poll(async () => /<td class="state">([a-z-]+)</.exec(vmRowIn(await rows('/vms/rows', dora), id))?.[1])
      .toBe('running');
    const fragment = await page('/vms/rows', dora);
    expect(fragment.statusCode).toBe(200);
    expect(fragment.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(fragment.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(fragment.body).toMatch(
      /^<div id="vm-errors" class="error-box" role="alert" hidden><\/div>\n<table><tbody id="vm-rows">/,
    );
    const row = vmRowIn(fragment.body, id);
    expect(row).toBe(vmRowIn(await rows('/vms', dora), id));
    expect(row).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(row).toContain('<button type="button" data-action="stop">Stop</button>');
    expect(fragment.body).not.toContain(HOSTILE_VM);
    // The table's parts only: no layout, no CSRF token.
    expect(fragment.body).not.toMatch(/<html|<head|csrf-token/);

    // Another user sees none of it, even asking for everyone's VMs; an administrator only when asking.
    await server.createUser('erin', 'erin-Pa55word-for-pages');
    const erin = await server.login('erin', 'erin-Pa55word-for-pages');
    const erins = await rows('/vms/rows?all=true', erin);
    expect(erins).not.toContain(`data-vm-id="${id}"`);
    expect(erins).toContain('<tr class="empty"><td colspan="9">No VMs yet: launch one above.</td></tr>');
    expect(await rows('/vms/rows', admin)).not.toContain(`data-vm-id="${id}"`);
    const everyone = vmRowIn(await rows('/vms/rows?all=true', admin), id);
    expect(everyone).toContain('<td>dora</td>');

    // Credentials that stop working (a save would refuse them): the errors box says so, and the row stays.
    await storeCredentialsUnchecked('dora', 'local', { key: 'dora', secret: 'Wrong-Secret-2' });
    const broken = await rows('/vms/rows', dora);
    expect(broken).toMatch(/^<div id="vm-errors" class="error-box" role="alert">local: /);
    expect(broken).toContain(`data-vm-id="${id}"`);
    await send({
      method: 'PUT',
      url: '/api/credentials/local',
      headers: dora,
      payload: { key: 'dora', secret: ACCOUNT_SECRET },
    });
    expect((await send({ method: 'DELETE', url: `/api/vms/local/${id}`, headers: dora })).statusCode).toBe(
      200,
    );
  });
});

describe('restart required', () => {
  it('shows the banner to administrators once a saved list differs from the loaded one', async () => {
    const before = await page('/connectors', admin);
    expect(before.body).not.toContain('id="restart-banner"');
    const saved = await send({
      method: 'PUT',
      url: '/api/configuration',
      headers: admin,
      payload: {
        basics: { connectors: 'local,lab2:local', motto: HOSTILE_SETTING },
        instances: { local: { 'boot.delay.ms': 50, 'halt.delay.ms': 50 } },
      },
    });
    expect(saved.statusCode).toBe(200);
    const after = await page('/connectors', admin);
    expect(after.body).toContain(
      `<div id="restart-banner" class="banner" role="status">${RESTART_MESSAGE}</div>`,
    );
    const configuration = await page('/configuration', admin);
    expect(configuration.body).toContain('id="restart-banner"');
    expect(configuration.body).toContain('<section data-instance="lab2">');
    expect(configuration.body).not.toContain('data-instance="exo"');
    // Users are not told: they cannot restart anything.
    expect((await page('/vms', dora)).body).not.toContain('restart-banner');
  });
});

describe('secrets', () => {
  it('never appear in any page or answer', () => {
    const everything = [...server.bodies, ...server.logLines].join('\n');
    for (const secret of [
      ACCOUNT_SECRET,
      UNINSTALLED_SECRET,
      'demo-secret',
      ADMIN_PASSWORD,
      USER_PASSWORD,
      'Wrong-Secret-1',
      'Wrong-Secret-2',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
