import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningOpenStack, startOpenStack } from '../index.js';
import { send } from '../test-client.js';

/**
 * A tiny Keystone that knows two tokens, for two projects, and answers token validation as
 * Keystone does: 200 with the token when X-Auth-Token and X-Subject-Token are a valid token of
 * the same user, 404 for an unknown subject, 401 for an unknown caller.
 */
function fakeKeystone(validations: IncomingMessage[]): Server {
  const tokens: Record<
    string,
    { project: { id: string; name: string }; user: { id: string; name: string } }
  > = {
    'token-alpha': {
      project: { id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', name: 'alpha' },
      user: { id: 'u1', name: 'ann' },
    },
    'token-beta': {
      project: { id: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', name: 'beta' },
      user: { id: 'u2', name: 'ben' },
    },
  };
  return createServer((request, response) => {
    validations.push(request);
    const caller = tokens[String(request.headers['x-auth-token'])];
    const subject = tokens[String(request.headers['x-subject-token'])];
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url !== '/v3/auth/tokens')
      return reply(404, { error: { code: 404, message: 'nope', title: 'Not Found' } });
    if (!caller)
      return reply(401, {
        error: {
          code: 401,
          message: 'The request you have made requires authentication.',
          title: 'Unauthorized',
        },
      });
    if (!subject)
      return reply(404, { error: { code: 404, message: 'Failed to validate token', title: 'Not Found' } });
    reply(200, {
      token: {
        methods: ['password'],
        expires_at: '2099-01-01T00:00:00.000000Z',
        project: { ...subject.project, domain: { id: 'default', name: 'Default' } },
        user: { ...subject.user, domain: { id: 'default', name: 'Default' } },
        roles: [{ id: 'r1', name: 'member' }],
      },
    });
  });
}

describe('the simulator behind an external Keystone', () => {
  const validations: IncomingMessage[] = [];
  let keystone: Server;
  let keystoneUrl: string;
  let sim: RunningOpenStack;

  beforeAll(async () => {
    keystone = fakeKeystone(validations);
    await new Promise<void>((resolve) => keystone.listen(0, '127.0.0.1', resolve));
    keystoneUrl = `http://127.0.0.1:${(keystone.address() as AddressInfo).port}/v3`;
    sim = await startOpenStack({ keystone: { url: keystoneUrl }, bootDelayMs: 0 });
  });
  afterAll(async () => {
    await sim.close();
    await new Promise((resolve) => keystone.close(resolve));
  });
  beforeEach(() => {
    validations.length = 0;
    sim.expireTokens();
  });

  it('validates tokens there, with the token as both X-Auth-Token and X-Subject-Token', async () => {
    const answer = await send(`${sim.computeUrl}/servers`, { token: 'token-alpha' });
    expect(answer.status).toBe(200);
    expect(validations).toHaveLength(1);
    expect(validations[0]?.method).toBe('GET');
    expect(validations[0]?.headers['x-auth-token']).toBe('token-alpha');
    expect(validations[0]?.headers['x-subject-token']).toBe('token-alpha');
    expect(sim.authUrl).toBe(keystoneUrl);
  });

  it('caches a validation, and asks again after expireTokens()', async () => {
    await send(`${sim.computeUrl}/servers`, { token: 'token-alpha' });
    await send(`${sim.imageUrl}/v2/images`, { token: 'token-alpha' });
    expect(validations).toHaveLength(1);
    sim.expireTokens();
    await send(`${sim.computeUrl}/servers`, { token: 'token-alpha' });
    expect(validations).toHaveLength(2);
  });

  it('gives each Keystone project its own account, named after it', async () => {
    const created = await send(`${sim.computeUrl}/servers`, {
      method: 'POST',
      token: 'token-alpha',
      body: {
        server: { name: 'in-alpha', imageRef: '6b5e0a3c-0c5e-4f0b-9d7a-2f6f3b1c8e01', flavorRef: '1' },
      },
    });
    expect(created.status).toBe(202);
    const shown = await send(`${sim.computeUrl}/servers/${created.body.server.id}`, { token: 'token-alpha' });
    expect(shown.body.server).toMatchObject({ tenant_id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', user_id: 'u1' });
    expect((await send(`${sim.computeUrl}/servers`, { token: 'token-beta' })).body.servers).toEqual([]);
    const accounts = sim.control.cloud.accounts().map((account) => account.name);
    expect(accounts).toEqual(expect.arrayContaining(['alpha', 'beta']));
  });

  it('refuses a token Keystone does not know, pointing at that Keystone', async () => {
    const answer = await send(`${sim.computeUrl}/servers`, { token: 'token-forged' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(`Keystone uri="${keystoneUrl}"`);
  });

  it('serves no Keystone of its own', async () => {
    expect((await send(`${sim.url}/identity/v3`)).status).toBe(404);
  });
});

describe('the simulator when its external Keystone is down', () => {
  it('answers 503 as keystonemiddleware does', async () => {
    const sim = await startOpenStack({ keystone: { url: 'http://127.0.0.1:9/v3' } });
    try {
      const answer = await send(`${sim.computeUrl}/servers`, { token: 'anything' });
      expect(answer.status).toBe(503);
      expect(answer.body.message).toMatch(/^The Keystone service is temporarily unavailable\./);
    } finally {
      await sim.close();
    }
  });
});
