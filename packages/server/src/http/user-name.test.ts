/**
 * One name for a user's name across the API: "name" when logging in, creating a user, in answers
 * and in paths. Logins also take "username", the spelling they used before, as a deprecated alias
 * so that existing clients keep working. A user created without a role is a plain user.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.js';

const ADMIN_PASSWORD = 'admin-Pa55word-names';
const ERIN_PASSWORD = 'erin-Pa55word-names';

let server: TestServer;
let admin: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({ name: 'user-name', adminPassword: ADMIN_PASSWORD, connectors: 'local' });
  await server.createUser('erin', ERIN_PASSWORD);
  admin = await server.login('admin', ADMIN_PASSWORD);
}, 120_000);

afterAll(() => server?.close());

const login = (payload: object) => server.send({ method: 'POST', url: '/api/login', payload });

describe('the user name is "name" everywhere', () => {
  it('logs in with "name", the name answers use', async () => {
    const response = await login({ name: 'erin', password: ERIN_PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toEqual({ name: 'erin', role: 'user' });
  });

  it('still logs in with the deprecated "username"', async () => {
    const response = await login({ username: 'erin', password: ERIN_PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.name).toBe('erin');
  });

  it('refuses both spellings at once, and neither, saying what to send', async () => {
    const both = await login({ name: 'erin', username: 'admin', password: ERIN_PASSWORD });
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('send only "name"'),
    });
    const neither = await login({ password: ERIN_PASSWORD });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.message).toBe(
      'The field "name" in the request body is required. Send it as in {"name": "alice", "password": "…"}.',
    );
  });

  it('creates a user without a role as a plain user, who logs in with "name"', async () => {
    const created = await server.send({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { name: 'frank' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ name: 'frank', role: 'user' });
    const password = created.json().password as string;
    expect((await login({ name: 'frank', password })).statusCode).toBe(200);
  });

  it('documents "name", the alias as deprecated and the default role in the OpenAPI document', async () => {
    const { paths } = (await server.send({ method: 'GET', url: '/api/openapi.json' })).json();
    const loginBody = paths['/api/login'].post.requestBody.content['application/json'];
    expect(loginBody.schema.required).toEqual(['password']);
    expect(loginBody.schema.properties.name).toBeDefined();
    expect(loginBody.schema.properties.username.deprecated).toBe(true);
    expect(loginBody.example).toEqual({ name: 'alice', password: '…' });
    const createBody = paths['/api/users'].post.requestBody.content['application/json'].schema;
    expect(createBody.required).toEqual(['name']);
    expect(createBody.properties.role.default).toBe('user');
  });
});
