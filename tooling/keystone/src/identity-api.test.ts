import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, KeystoneApiError, requestToken } from './identity-api.js';

// Answers Keystone would not give, to check how the client reports them; the real Keystone's own
// answers are covered by harness.test.ts.
let server: Server;
let url: string;
const answers: Record<string, { status: number; headers?: Record<string, string>; body: string }> = {
  '/v3/auth/tokens': { status: 201, body: '{"token": {"expires_at": "2030-01-01T00:00:00.000000Z"}}' },
  '/v3/projects': { status: 500, body: '<html>Internal Server Error</html>' },
  '/v3/regions': { status: 200, body: 'not json' },
  '/v3/users': {
    status: 403,
    body: '{"error": {"code": 403, "title": "Forbidden", "message": "You are not authorized to perform the requested action: identity:create_user."}}',
  },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = answers[request.url ?? ''] ?? { status: 404, body: '' };
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('identity API errors', () => {
  it("reports Keystone's error title and message with the call and status", async () => {
    const error = await call(url, 'secret-token', 'POST', '/users', [201], { user: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeystoneApiError);
    expect((error as KeystoneApiError).status).toBe(403);
    expect((error as Error).message).toBe(
      'Keystone answered POST /users with HTTP 403: Forbidden: You are not authorized to perform the requested action: identity:create_user.',
    );
    expect((error as Error).message).not.toContain('secret-token');
  });

  it('quotes the start of a body that is not a Keystone error', async () => {
    await expect(call(url, 'secret-token', 'GET', '/projects', [200])).rejects.toThrow(
      'Keystone answered GET /projects with HTTP 500: "<html>Internal Server Error</html>"',
    );
  });

  it('refuses a success whose body is not JSON', async () => {
    await expect(call(url, 'secret-token', 'GET', '/regions', [200])).rejects.toThrow(
      'Keystone answered GET /regions with HTTP 200: a body that is not JSON: "not json"',
    );
  });

  it('refuses a token answer without X-Subject-Token', async () => {
    await expect(
      requestToken(url, { username: 'u', password: 'p-secret', project: 'p', domain: 'Default' }),
    ).rejects.toThrow('Keystone issued no X-Subject-Token or no token body.');
  });
});
