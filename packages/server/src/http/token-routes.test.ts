import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../security/generated.js';
import { startTestServer, type TestServer } from './test-server.js';

const ADMIN_PASSWORD = 'admin-Pa55word-for-token-routes';

let server: TestServer;
let gina: Record<string, string>;
let hank: Record<string, string>;
const send = (options: InjectOptions): Promise<LightMyRequestResponse> => server.send(options);
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function createToken(
  headers: Record<string, string>,
  name: string,
): Promise<{ id: string; token: string }> {
  const response = await send({ method: 'POST', url: '/api/tokens', headers, payload: { name } });
  expect(response.statusCode).toBe(201);
  return response.json();
}

beforeAll(async () => {
  server = await startTestServer({ name: 'tokens', adminPassword: ADMIN_PASSWORD, connectors: 'local' });
  await server.createUser('gina', 'gina-Pa55word');
  await server.createUser('hank', 'hank-Pa55word');
  gina = await server.login('gina', 'gina-Pa55word');
  hank = await server.login('hank', 'hank-Pa55word');
}, 60_000);

afterAll(() => server?.close());

describe('GET /api/tokens', () => {
  it("lists the caller's tokens by name with their times, never a token or hash", async () => {
    const deploy = await createToken(gina, 'deploy');
    const backup = await createToken(gina, 'backup');
    await send({ method: 'GET', url: '/api/connectors', headers: bearer(deploy.token) });
    const response = await send({ method: 'GET', url: '/api/tokens', headers: gina });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      tokens: [
        { id: backup.id, name: 'backup', createdAt: expect.any(String), lastUsedAt: null },
        {
          id: deploy.id,
          name: 'deploy',
          createdAt: expect.any(String),
          lastUsedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ],
    });
    for (const secret of [deploy.token, backup.token, hashToken(deploy.token), hashToken(backup.token)]) {
      expect(response.body).not.toContain(secret);
    }
    // A token lists its own user's tokens too.
    const viaToken = await send({ method: 'GET', url: '/api/tokens', headers: bearer(backup.token) });
    expect(viaToken.json().tokens).toHaveLength(2);
  });

  it("never shows another user's tokens", async () => {
    const response = await send({ method: 'GET', url: '/api/tokens', headers: hank });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ tokens: [] });
    expect((await send({ method: 'GET', url: '/api/tokens' })).statusCode).toBe(401);
  });
});

describe('POST /api/tokens', () => {
  it('refuses names that are blank, too long or carry control characters', async () => {
    for (const name of ['', '   ', 'x'.repeat(101), 'ci\u0000', 'fake-\u202etxt']) {
      const response = await send({ method: 'POST', url: '/api/tokens', headers: hank, payload: { name } });
      expect(response.statusCode, JSON.stringify(name)).toBe(400);
      expect(response.json().error.code).toBe('INVALID_REQUEST');
    }
    expect((await send({ method: 'GET', url: '/api/tokens', headers: hank })).json().tokens).toEqual([]);
  });
});

describe('DELETE /api/tokens/{id}', () => {
  it('revokes one of the caller’s tokens, which is refused at once', async () => {
    const { id, token } = await createToken(hank, 'short-lived');
    expect((await send({ method: 'GET', url: '/api/vms', headers: bearer(token) })).statusCode).toBe(200);
    const revoked = await send({ method: 'DELETE', url: `/api/tokens/${id}`, headers: hank });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ id, name: 'short-lived', revoked: true });
    const refused = await send({ method: 'GET', url: '/api/vms', headers: bearer(token) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('AUTH_FAILED');
    const again = await send({ method: 'DELETE', url: `/api/tokens/${id}`, headers: hank });
    expect(again.statusCode).toBe(404);
  });

  it('lets a token revoke itself, without a CSRF header', async () => {
    const { id, token } = await createToken(hank, 'self-destruct');
    const revoked = await send({ method: 'DELETE', url: `/api/tokens/${id}`, headers: bearer(token) });
    expect(revoked.statusCode).toBe(200);
    expect((await send({ method: 'GET', url: '/api/tokens', headers: bearer(token) })).statusCode).toBe(401);
  });

  it("answers 404 for another user's token, an administrator's call included, and the token keeps working", async () => {
    const { id, token } = await createToken(gina, 'not-yours');
    const admin = await server.login('admin', ADMIN_PASSWORD);
    for (const headers of [hank, admin]) {
      const response = await send({ method: 'DELETE', url: `/api/tokens/${id}`, headers });
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toEqual({
        code: 'NOT_FOUND',
        message: 'You have no API token with this id; list your tokens with GET /api/tokens.',
      });
    }
    const unknown = await send({ method: 'DELETE', url: '/api/tokens/no-such-id', headers: hank });
    expect(unknown.json().error.message).toBe(
      'You have no API token with this id; list your tokens with GET /api/tokens.',
    );
    expect((await send({ method: 'GET', url: '/api/vms', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('needs the CSRF header with a session cookie', async () => {
    const { id } = await createToken(gina, 'csrf-protected');
    const response = await send({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: { cookie: gina.cookie ?? '' },
    });
    expect(response.statusCode).toBe(403);
    const listed = await send({ method: 'GET', url: '/api/tokens', headers: gina });
    expect(listed.json().tokens.map((token: { id: string }) => token.id)).toContain(id);
  });

  it('never logs a token or its hash', async () => {
    const { token } = await createToken(gina, 'log-check');
    await send({ method: 'GET', url: '/api/tokens', headers: bearer(token) });
    const logs = server.logLines.join('');
    expect(logs).toContain('revoked an API token');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(hashToken(token));
    expect(logs).not.toMatch(/ssk_[A-Za-z0-9_-]{43}/);
  });
});
