import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../boot/boot.js';
import { credentialAad } from '../credentials/credentials.js';
import { startTestServer, type TestServer } from './test-server.js';

const ALICE_SECRET = 'Alice-Cred-Secret-31';
const BOB_SECRET = 'Bob-Cred-Secret-62';
const ACCOUNTS = `alice:${ALICE_SECRET},alice-2:${ALICE_SECRET},bob:${BOB_SECRET}`;

let server: TestServer;
let alice: Record<string, string>;
let bob: Record<string, string>;
let aliceId: string;
const send = (options: InjectOptions): Promise<LightMyRequestResponse> => server.send(options);

const list = (headers: Record<string, string>): Promise<LightMyRequestResponse> =>
  send({ method: 'GET', url: '/api/credentials', headers });
const put = (
  instance: string,
  payload: unknown,
  headers: Record<string, string>,
): Promise<LightMyRequestResponse> =>
  send({ method: 'PUT', url: `/api/credentials/${instance}`, headers, payload: payload as object });

beforeAll(async () => {
  server = await startTestServer({
    name: 'credentials',
    adminPassword: 'admin-Pa55word-cred',
    connectors: 'local,lab2:local',
    // The accounts the local clouds accept: a save asks the cloud first.
    initial: {
      basics: { connectors: 'local,lab2:local' },
      instances: { local: { accounts: ACCOUNTS }, lab2: { accounts: ACCOUNTS } },
    },
  });
  aliceId = (await server.createUser('alice', 'alice-password-1')).id;
  await server.createUser('bob', 'bob-password-1');
  alice = await server.login('alice', 'alice-password-1');
  bob = await server.login('bob', 'bob-password-1');
}, 60_000);

afterAll(() => server?.close());

describe('credentials', () => {
  it('lists every loaded instance without credentials at first', async () => {
    const response = await list(alice);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      credentials: [
        { instance: 'local', connector: 'local', hasCredentials: false },
        { instance: 'lab2', connector: 'local', hasCredentials: false },
      ],
    });
  });

  it('saves the caller own credentials, secrets sealed, nothing echoed', async () => {
    const response = await put('lab2', { key: 'alice', secret: ALICE_SECRET }, alice);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      instance: 'lab2',
      hasCredentials: true,
      account: expect.stringMatching(/^[0-9a-f]{12}$/),
      checked: true,
      warnings: [],
    });
    const stored = await server.booted.store.getCredentials(aliceId, 'lab2');
    expect(stored?.values.key).toEqual({ kind: 'plain', value: 'alice' });
    const secret = stored?.values.secret as { kind: string; blob: string };
    expect(secret.kind).toBe('secret');
    expect(server.booted.box.open(secret.blob, credentialAad(aliceId, 'lab2', 'secret'))).toBe(ALICE_SECRET);
    for (const file of [STORE_FILE, `${STORE_FILE}-wal`]) {
      let raw = '';
      try {
        raw = readFileSync(join(server.home, file)).toString('latin1');
      } catch {
        continue;
      }
      expect(raw).not.toContain(ALICE_SECRET);
    }
  });

  it('names the account from the non-secret values only: a new secret keeps it, another key changes it', async () => {
    const first = (await put('lab2', { key: 'alice', secret: ALICE_SECRET }, alice)).json().account;
    // A secret rotated in the cloud: this local cloud knows one secret per key, so its check is
    // made to accept the new one.
    const instance = server.booted.registry.instance('lab2');
    const original = instance.session.bind(instance);
    (instance as { session: typeof original }).session = async (credentials) => ({
      ...(await original(credentials)),
      checkCredentials: async () => undefined,
    });
    let rotated: string;
    try {
      rotated = (await put('lab2', { key: 'alice', secret: `${ALICE_SECRET}-rotated` }, alice)).json()
        .account;
    } finally {
      (instance as { session: typeof original }).session = original;
    }
    expect(rotated).toBe(first);
    const other = await put('lab2', { key: 'alice-2', secret: ALICE_SECRET }, alice);
    expect(other.json().account).not.toBe(first);
    expect(other.body).not.toContain(ALICE_SECRET);
    expect((await put('lab2', { key: 'alice', secret: ALICE_SECRET }, alice)).json().account).toBe(first);
  });

  it('lists per caller: A sees theirs, B does not', async () => {
    const mine = (await list(alice)).json().credentials;
    expect(mine.find((c: { instance: string }) => c.instance === 'lab2')).toMatchObject({
      instance: 'lab2',
      hasCredentials: true,
      updatedAt: expect.any(String),
    });
    const theirs = (await list(bob)).json().credentials;
    expect(theirs.every((c: { hasCredentials: boolean }) => !c.hasCredentials)).toBe(true);
    expect((await put('local', { key: 'bob', secret: BOB_SECRET }, bob)).statusCode).toBe(200);
    const aliceLocal = (await list(alice))
      .json()
      .credentials.find((c: { instance: string }) => c.instance === 'local');
    expect(aliceLocal.hasCredentials).toBe(false);
  });

  it('answers 404 for an instance that is not loaded', async () => {
    const response = await put('lab9', { key: 'alice', secret: ALICE_SECRET }, alice);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
    expect(response.json().error.message).toContain('lab9');
  });

  it('refuses bad credentials listing every problem, storing nothing, quoting no secret', async () => {
    const before = await server.booted.store.getCredentials(aliceId, 'local');
    const response = await put('local', { keyy: 'alice', secret: 42 }, alice);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('CREDENTIALS_INVALID');
    const keys = error.problems.map((p: { key: string }) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['keyy', 'key', 'secret']));
    expect(error.problems.find((p: { key: string }) => p.key === 'keyy').message).toContain(
      'did you mean "key"?',
    );
    expect(await server.booted.store.getCredentials(aliceId, 'local')).toEqual(before);
    const nested = await put('local', { key: 'alice', secret: { value: ALICE_SECRET } }, alice);
    expect(nested.statusCode).toBe(400);
  });

  it('needs a login and the CSRF token for cookie writes', async () => {
    expect((await send({ method: 'GET', url: '/api/credentials' })).statusCode).toBe(401);
    const noCsrf = await put('local', { key: 'alice', secret: ALICE_SECRET }, { cookie: alice.cookie ?? '' });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('never shows a secret in a response or a log line', () => {
    for (const text of [...server.bodies, ...server.logLines]) {
      expect(text).not.toContain(ALICE_SECRET);
      expect(text).not.toContain(BOB_SECRET);
    }
    expect(server.logLines.some((line) => line.includes('saved credentials'))).toBe(true);
  });
});
