/// <reference lib="dom" />
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../http/test-server.js';
import { chromiumUnavailableReason, launchChromium } from '../testing/chromium.js';

/**
 * The users and API tokens pages' script in Debian's Chromium, against the app listening on
 * 127.0.0.1: what the server-rendered tests cannot see (forms, buttons, values shown once).
 */

const ADMIN_PASSWORD = 'Browser-Accounts-Admin-Pa55';
const unavailable = chromiumUnavailableReason();

describe.skipIf(unavailable !== undefined)('the users and API tokens pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({
      name: 'account-browser',
      adminPassword: ADMIN_PASSWORD,
      connectors: 'local',
    });
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium(chromium);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${url}/login`);
    await page.fill('#login-form [name=username]', username);
    await page.fill('#login-form [name=password]', password);
    await Promise.all([page.waitForURL(`${url}/vms`), page.click('#login-form [type=submit]')]);
  }

  it('creates a user with a password shown once, and changes role, status and password', async () => {
    const page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.click('nav >> text=Users');
    await page.waitForURL(`${url}/users`);

    // A refused name is explained by the form.
    await page.fill('#user-form [name=name]', 'bad name');
    await page.click('#user-form [type=submit]');
    await expect.poll(() => page.textContent('#user-form-message')).toContain('"name"');

    await page.fill('#user-form [name=name]', 'lena');
    await page.click('#user-form [type=submit]');
    const password = page.locator('#user-password code');
    await expect.poll(() => password.count()).toBe(1);
    const generated = (await password.textContent()) ?? '';
    expect(generated).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    expect(await page.textContent('#user-password')).toContain('not shown again');
    const row = page.locator('#users-table tr[data-user="lena"]');
    expect(await row.locator('.status').textContent()).toBe('enabled');

    await row.locator('[data-action="role"]').click();
    await expect.poll(() => row.locator('.role').textContent()).toBe('admin');
    expect(await row.locator('[data-action="role"]').textContent()).toBe('Make user');
    await row.locator('[data-action="disable"]').click();
    await expect.poll(() => row.locator('.status').textContent()).toBe('disabled');
    expect((await server.booted.store.getUserByName('lena'))?.disabled).toBe(true);
    await row.locator('[data-action="enable"]').click();
    await expect.poll(() => row.locator('.status').textContent()).toBe('enabled');

    await row.locator('[data-action="password"]').click();
    await expect.poll(() => password.textContent()).not.toBe(generated);
    const reset = (await password.textContent()) ?? '';
    expect(await page.textContent('#user-password')).toContain('lena');

    // The last administrator cannot step down: the refusal shows above the table.
    await row.locator('[data-action="role"]').click();
    await expect.poll(() => row.locator('.role').textContent()).toBe('user');
    await page.locator('#users-table tr[data-user="admin"] [data-action="role"]').click();
    await expect.poll(() => page.textContent('#users-message')).toContain('last enabled administrator');

    // After a reload the password is gone from the page.
    await page.reload();
    expect(await page.content()).not.toContain(reset);
    expect(await page.locator('#users-table tr[data-user="lena"] .role').textContent()).toBe('user');
    await page.close();

    const lena = await browser.newPage();
    await logIn(lena, 'lena', reset);
    expect(await lena.locator('nav a[href="/users"]').count()).toBe(0);
    await lena.close();
  }, 60_000);

  it('creates an API token shown once, lists it and revokes it', async () => {
    await server.createUser('milo', 'milo-Pa55word');
    const page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await logIn(page, 'milo', 'milo-Pa55word');
    await page.click('nav >> text=API tokens');
    await page.waitForURL(`${url}/tokens`);
    expect(await page.locator('#tokens-table tr.empty').count()).toBe(1);

    await page.fill('#token-form [name=name]', '<b>ci</b>');
    await page.click('#token-form [type=submit]');
    const shown = page.locator('#new-token code');
    await expect.poll(() => shown.count()).toBe(1);
    const token = (await shown.textContent()) ?? '';
    expect(token).toMatch(/^ssk_[A-Za-z0-9_-]{43}$/);
    expect(await page.textContent('#new-token')).toContain('not shown again');
    const row = page.locator('#tokens-table tr[data-token]');
    expect(await row.count()).toBe(1);
    // The name is text, not markup.
    expect(await row.locator('td.name').textContent()).toBe('<b>ci</b>');
    expect(await page.locator('#tokens-table b').count()).toBe(0);
    expect(await page.locator('#tokens-table tr.empty').count()).toBe(0);

    // A duplicate name is explained by the form.
    await page.fill('#token-form [name=name]', '<b>ci</b>');
    await page.click('#token-form [type=submit]');
    await expect.poll(() => page.textContent('#token-form-message')).toContain('already has a token');

    const used = await fetch(`${url}/api/vms`, { headers: { authorization: `Bearer ${token}` } });
    expect(used.status).toBe(200);
    await row.locator('[data-action="revoke"]').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await page.locator('#tokens-table tr.empty').count()).toBe(1);
    const refused = await fetch(`${url}/api/vms`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    await page.reload();
    expect(await page.content()).not.toContain(token);
    await page.close();
  }, 60_000);
});
