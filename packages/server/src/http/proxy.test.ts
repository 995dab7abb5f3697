import { afterEach, describe, expect, it } from 'vitest';
import { ADDRESS_LOGIN_LIMITS } from './app.js';
import { startTestServer, type TestServer } from './test-server.js';

/** Behind a reverse proxy every request comes from the proxy: SLIPSTREAM_TRUST_PROXY says which to believe. */

const ADMIN_PASSWORD = 'Proxy-Admin-Pa55word';
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  server = await startTestServer({ name: 'proxy', adminPassword: ADMIN_PASSWORD, connectors: 'local', env });
  return server;
}

function login(target: TestServer, password: string, headers: Record<string, string>, name = 'admin') {
  // inject's requests come from 127.0.0.1, as they would from a proxy on the same machine.
  return target.send({ method: 'POST', url: '/api/login', payload: { name, password }, headers });
}

describe('SLIPSTREAM_TRUST_PROXY', () => {
  it('makes the session cookie Secure when the client reached a trusted proxy over HTTPS', async () => {
    const target = await start({ SLIPSTREAM_TRUST_PROXY: '127.0.0.1' });
    const https = await login(target, ADMIN_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(https.statusCode).toBe(200);
    expect(String(https.headers['set-cookie'])).toMatch(/; Secure$/);
    const plain = await login(target, ADMIN_PASSWORD, {});
    expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
  });

  it('believes no forwarded header from a proxy it was not told of', async () => {
    const target = await start();
    const response = await login(target, ADMIN_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['set-cookie'])).not.toContain('Secure');
  });

  it("counts failed logins per client behind the proxy: one client's guesses do not lock the others out", async () => {
    const target = await start({ SLIPSTREAM_TRUST_PROXY: 'loopback' });
    const guesser = { 'x-forwarded-for': '203.0.113.5' };
    for (let i = 0; i < ADDRESS_LOGIN_LIMITS.maxFailures; i++) {
      expect((await login(target, 'wrong password', guesser, `user${i}`)).statusCode).toBe(401);
    }
    expect((await login(target, ADMIN_PASSWORD, guesser)).statusCode).toBe(429);
    expect((await login(target, ADMIN_PASSWORD, { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(200);
  }, 120_000);
});
