import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../boot/boot.js';
import { parameterAad } from '../configuration/instance-values.js';
import { startTestServer, type TestServer } from './test-server.js';

const ADMIN_PASSWORD = 'admin-Pa55word-for-config-tests';
const SEEDED_SECRET = 'seeded:Seeded-Secret-77';
const NEW_SECRET = 'alice:Brand-New-Secret-42';

let server: TestServer;
let admin: Record<string, string>;
let user: Record<string, string>;
const send = (options: InjectOptions): Promise<LightMyRequestResponse> => server.send(options);

const getConfig = (headers = admin): Promise<LightMyRequestResponse> =>
  send({ method: 'GET', url: '/api/configuration', headers });
const putConfig = (payload: unknown, headers = admin): Promise<LightMyRequestResponse> =>
  send({ method: 'PUT', url: '/api/configuration', headers, payload: payload as object });

beforeAll(async () => {
  server = await startTestServer({
    name: 'config',
    adminPassword: ADMIN_PASSWORD,
    connectors: 'local',
    initial: {
      basics: { connectors: 'local', title: 'Lab' },
      instances: { local: { accounts: SEEDED_SECRET, 'boot.delay.ms': 50 } },
    },
  });
  await server.createUser('bob', 'bob-password-1');
  admin = await server.login('admin', ADMIN_PASSWORD);
  user = await server.login('bob', 'bob-password-1');
}, 60_000);

afterAll(() => server?.close());

describe('GET /api/configuration', () => {
  it('shows basics and instance parameters, with secrets only as set', async () => {
    const response = await getConfig();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      basics: { connectors: 'local', title: 'Lab' },
      instances: { local: { accounts: { set: true }, 'boot.delay.ms': 50 } },
      restartRequired: false,
    });
    expect(response.body).not.toContain('Seeded-Secret');
  });

  it('is for administrators only', async () => {
    const read = await getConfig(user);
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe('PERMISSION_DENIED');
    const write = await putConfig({ basics: { connectors: 'local' }, instances: {} }, user);
    expect(write.statusCode).toBe(403);
    expect((await server.booted.store.getConfiguration())?.basics.connectors).toBe('local');
  });

  it('refuses a cookie write without the CSRF token', async () => {
    const response = await putConfig(
      { basics: { connectors: 'local' }, instances: {} },
      { cookie: admin.cookie ?? '' },
    );
    expect(response.statusCode).toBe(403);
  });
});

describe('PUT /api/configuration: refused input', () => {
  async function expectRefused(payload: unknown): Promise<Record<string, unknown>[]> {
    const before = await server.booted.store.getConfiguration();
    const response = await putConfig(payload);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(['CONFIG_INVALID', 'INVALID_REQUEST']).toContain(error.code);
    expect(await server.booted.store.getConfiguration()).toEqual(before);
    return error.problems;
  }

  it('lists every connector list problem at once: unknown with did-you-mean, duplicate, bad name', async () => {
    const problems = await expectRefused({
      basics: { connectors: 'local,lab2:locall,lab3:local,lab3:local,Bad_Name:local' },
      instances: {},
    });
    const text = problems.map((p) => String(p.message)).join('\n');
    expect(text).toContain('did you mean "local"?');
    expect(problems.filter((p) => p.instance === 'lab3' && p.position !== undefined)).toHaveLength(2);
    expect(problems.some((p) => p.position === 5 && String(p.message).includes('Bad_Name'))).toBe(true);
    expect(problems.find((p) => p.instance === 'lab2')?.code).toBe('CONNECTOR_UNKNOWN');
  });

  it('lists every parameter problem keyed by instance and parameter', async () => {
    const problems = await expectRefused({
      basics: { connectors: 'local,lab2:local' },
      instances: {
        local: { 'boot.delay.ms': 'soon', zone: 'nowhere' },
        lab2: { 'boot.delay.msx': 5 },
        ghost: {},
      },
    });
    const keyed = problems.map((p) => `${String(p.instance)}/${String(p.key)}`);
    expect(keyed).toEqual(
      expect.arrayContaining(['local/boot.delay.ms', 'local/zone', 'lab2/boot.delay.msx', 'ghost/undefined']),
    );
    expect(problems.find((p) => p.key === 'boot.delay.msx')?.message).toContain(
      'did you mean "boot.delay.ms"?',
    );
  });

  it('refuses a secret of the wrong type without quoting it', async () => {
    const problems = await expectRefused({
      basics: { connectors: 'local' },
      instances: { local: { accounts: { value: 'Hidden-Value-9' } } },
    });
    expect(problems.map((p) => p.key)).toContain('accounts');
    expect(JSON.stringify(problems)).not.toContain('Hidden-Value-9');
  });

  it('refuses numbers and flags sent as text, naming the key', async () => {
    const problems = await expectRefused({
      basics: { connectors: 'local' },
      instances: { local: { 'quota.vm': '3', 'boot.delay.ms': 20 } },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ instance: 'local', key: 'quota.vm' });
    expect(problems[0]?.message).toContain(
      'instances.local.quota.vm is an integer; send it as a JSON number (3, not "3")',
    );
  });

  it('refuses a list of more instances than the server takes (200 by default), before loading any', async () => {
    const list = ['local', ...Array.from({ length: 200 }, (_, i) => `lab${i}:local`)].join(',');
    const problems = await expectRefused({ basics: { connectors: list }, instances: {} });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(
      'The connector list has 201 instances; this server takes at most 200',
    );
  });

  it('refuses unknown fields and wrong types in the body', async () => {
    const unknown = await expectRefused({ basics: { connectors: 'local' }, instances: {}, extra: 1 });
    expect(unknown[0]?.message).toContain('"extra"');
    await expectRefused({ basics: { connectors: 7 }, instances: {} });
    await expectRefused({ basics: { connectors: 'local', title: 3 }, instances: {} });
    await expectRefused({ basics: {}, instances: {} });
    await expectRefused({ basics: { connectors: 'local' }, instances: { local: 'text' } });
  });
});

describe('PUT /api/configuration: saving', () => {
  it('saves a new list: restart required, and GET shows it', async () => {
    const response = await putConfig({
      basics: { connectors: 'local,lab2:local', title: 'Lab' },
      instances: { local: { accounts: { set: true }, 'boot.delay.ms': 50 }, lab2: { 'halt.delay.ms': 50 } },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ restartRequired: true });
    const read = (await getConfig()).json();
    expect(read.basics.connectors).toBe('local,lab2:local');
    expect(read.instances).toEqual({
      local: { accounts: { set: true }, 'boot.delay.ms': 50 },
      lab2: { 'halt.delay.ms': 50 },
    });
    expect(read.restartRequired).toBe(true);
  });

  it('keeps a secret when it is omitted or sent as {set: true}', async () => {
    for (const local of [{ 'boot.delay.ms': 50 }, { accounts: { set: true }, 'boot.delay.ms': 50 }]) {
      const response = await putConfig({
        basics: { connectors: 'local', title: 'Lab' },
        instances: { local },
      });
      expect(response.statusCode).toBe(200);
      const stored = (await server.booted.store.getConfiguration())?.instances.local?.accounts;
      expect(stored?.kind).toBe('secret');
      expect(
        server.booted.box.open((stored as { blob: string }).blob, parameterAad('local', 'accounts')),
      ).toBe(SEEDED_SECRET);
      // Back to what was booted: nothing to restart for.
      expect(response.json()).toEqual({ restartRequired: false });
    }
  });

  it('replaces a secret when a new value is given, sealed in the database file', async () => {
    const response = await putConfig({
      basics: { connectors: 'local' },
      instances: { local: { accounts: NEW_SECRET } },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ restartRequired: true });
    const stored = (await server.booted.store.getConfiguration())?.instances.local?.accounts as {
      blob: string;
    };
    expect(server.booted.box.open(stored.blob, parameterAad('local', 'accounts'))).toBe(NEW_SECRET);
    const read = await getConfig();
    expect(read.json().instances.local).toEqual({ accounts: { set: true } });
    expect(read.json().basics).toEqual({ connectors: 'local' });
    for (const file of [STORE_FILE, `${STORE_FILE}-wal`]) {
      let raw = '';
      try {
        raw = readFileSync(join(server.home, file)).toString('latin1');
      } catch {
        continue;
      }
      expect(raw).not.toContain('Brand-New-Secret');
      expect(raw).not.toContain('Seeded-Secret');
    }
  });
});

describe('secrets', () => {
  it('never appear in a response or a log line', () => {
    for (const text of [...server.bodies, ...server.logLines]) {
      expect(text).not.toContain('Seeded-Secret');
      expect(text).not.toContain('Brand-New-Secret');
      expect(text).not.toContain('Hidden-Value');
    }
    expect(server.logLines.some((line) => line.includes('saved the configuration'))).toBe(true);
  });
});
