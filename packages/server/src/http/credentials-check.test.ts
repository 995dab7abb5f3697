/**
 * Saving credentials asks the cloud first (PUT /api/credentials/{instance}): credentials the cloud
 * refuses are not saved (400 CREDENTIALS_INVALID, the earlier ones kept), and a cloud that cannot
 * answer — one that hangs, one that is down — gets them saved with `checked: false` and a warning.
 * Against a real server on loopback with the local connector, the CloudStack simulator, a cloud
 * that never answers and a port nothing listens on.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '@slipstream/cloud-simulators';
import { CLOUDSTACK_API_PATH, startCloudStack } from '@slipstream/cloud-simulators/cloudstack';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../security/passwords.js';
import { readServerSettings } from '../settings.js';
import { type RunningServer, startServer } from '../start.js';
import { FROM } from './test-server.js';

const ADMIN_PASSWORD = 'check-admin-password-1';
const ALICE_PASSWORD = 'check-alice-password-1';
const WRONG_SECRET = 'Wrong-Secret-Value-8842';
/** Short, so that the hanging cloud costs little; far above what loopback calls take. */
const LIST_TIMEOUT_MS = 3000;

interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions.
  readonly body: any;
  readonly text: string;
}

let sim: RunningSimulator;
let hanging: { url: string; close(): Promise<void> };
let home: string;
let running: RunningServer;
let aliceId: string;
const alice: Record<string, string> = {};

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${running.url}${path}`, {
    method,
    headers: body === undefined ? alice : { ...alice, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

/** An HTTP server that takes requests and never answers them, as a cloud hung behind a proxy does. */
async function startHangingCloud(): Promise<{ url: string; close(): Promise<void> }> {
  const held: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => {
    held.push(response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${CLOUDSTACK_API_PATH}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on: taken, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  sim = await startCloudStack({ bootDelayMs: 10, haltDelayMs: 10 });
  hanging = await startHangingCloud();
  const down = `http://127.0.0.1:${await closedPort()}${CLOUDSTACK_API_PATH}`;
  home = mkdtempSync(join(tmpdir(), 'slipstream-credentials-check-'));
  const settings = readServerSettings({
    env: {
      SLIPSTREAM_HOME: home,
      SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SLIPSTREAM_CONNECTORS: 'local,cloudstack,stuck:cloudstack,down:cloudstack',
      SLIPSTREAM_LIST_TIMEOUT_MS: String(LIST_TIMEOUT_MS),
      PORT: '0',
    },
    argv: [],
    cwd: home,
  });
  running = await startServer({
    settings: {
      ...settings,
      initial: {
        basics: settings.initial.basics,
        instances: {
          cloudstack: { endpoint: `${sim.url}${CLOUDSTACK_API_PATH}` },
          stuck: { endpoint: hanging.url },
          down: { endpoint: down },
        },
      },
    },
    from: FROM,
    env: {},
    logger: pino({ level: 'silent' }),
  });
  aliceId = (
    await running.booted.store.createUser({
      name: 'alice',
      role: 'user',
      passwordHash: await hashPassword(ALICE_PASSWORD),
    })
  ).id;
  const login = await fetch(`${running.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'alice', password: ALICE_PASSWORD }),
  });
  expect(login.status).toBe(200);
  alice.cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  alice['x-csrf-token'] = ((await login.json()) as { csrfToken: string }).csrfToken;
}, 120_000);

afterAll(async () => {
  await running?.close();
  await hanging?.close();
  await sim?.close();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

describe('saving credentials asks the cloud first', () => {
  it('refuses credentials the local cloud rejects, storing nothing, and saves the ones it accepts', async () => {
    const refused = await call('PUT', '/api/credentials/local', { key: 'demo', secret: WRONG_SECRET });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('CREDENTIALS_INVALID');
    expect(refused.body.error.message).toMatch(
      /^The credentials for "local" were not saved: the cloud refused them \(AUTH_FAILED\)/,
    );
    expect(refused.text).not.toContain(WRONG_SECRET);
    expect(await running.booted.store.getCredentials(aliceId, 'local')).toBeUndefined();

    const saved = await call('PUT', '/api/credentials/local', { key: 'demo', secret: 'demo-secret' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      instance: 'local',
      hasCredentials: true,
      checked: true,
      warnings: [],
    });
    expect(await running.booted.store.getCredentials(aliceId, 'local')).toBeDefined();
  }, 120_000);

  it('asks the CloudStack simulator: a wrong secret is refused and the saved credentials stay as they were', async () => {
    const before = sim.control.count('listCapabilities');
    const saved = await call('PUT', '/api/credentials/cloudstack', sim.credentials);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ checked: true, warnings: [] });
    expect(sim.control.count('listCapabilities')).toBe(before + 1);
    const kept = await running.booted.store.getCredentials(aliceId, 'cloudstack');

    const refused = await call('PUT', '/api/credentials/cloudstack', {
      ...sim.credentials,
      secret: WRONG_SECRET,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('CREDENTIALS_INVALID');
    expect(refused.body.error.message).toContain('the cloud refused them');
    expect(refused.text).not.toContain(WRONG_SECRET);
    expect(await running.booted.store.getCredentials(aliceId, 'cloudstack')).toEqual(kept);
    // The credentials that work still work.
    expect((await call('GET', '/api/clouds/cloudstack/zones')).status).toBe(200);
  }, 120_000);

  it('saves them unchecked, with a warning, when the cloud does not answer within the list deadline', async () => {
    const saved = await call('PUT', '/api/credentials/stuck', sim.credentials);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ instance: 'stuck', hasCredentials: true, checked: false });
    expect(saved.body.warnings).toEqual([
      expect.stringMatching(/^Saved, but not checked: "stuck" could not be asked .*\(TIMEOUT: /),
    ]);
    expect(saved.body.warnings[0]).toContain('SLIPSTREAM_LIST_TIMEOUT_MS');
    expect(await running.booted.store.getCredentials(aliceId, 'stuck')).toBeDefined();
  }, 120_000);

  it('saves them unchecked, with a warning, when nothing listens at the cloud endpoint', async () => {
    const saved = await call('PUT', '/api/credentials/down', sim.credentials);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ instance: 'down', checked: false });
    expect(saved.body.warnings).toEqual([expect.stringContaining('Saved, but not checked: "down"')]);
    expect(saved.text).not.toContain(sim.credentials.secret);
    expect(await running.booted.store.getCredentials(aliceId, 'down')).toBeDefined();
  }, 120_000);
});
