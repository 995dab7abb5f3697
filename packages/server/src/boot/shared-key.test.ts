import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKnownError, ServerError } from '../errors.js';
import type { ServerSettings } from '../settings.js';
import { freshDatabase, postgresUnavailable, usePostgres } from '../testing/postgres.js';
import { type BootedServer, bootServer } from './boot.js';

// Several replicas must seal secrets with one key: these tests boot "replicas" in this process.
const FROM = new URL('../../', import.meta.url);
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

const postgres = usePostgres();
let homes: string[] = [];
const booted: BootedServer[] = [];

beforeEach(() => {
  homes = [];
});

afterEach(async () => {
  await Promise.all(booted.splice(0).map((server) => server.close()));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function settings(databaseUrl?: string): ServerSettings {
  const home = mkdtempSync(join(tmpdir(), 'slipstream-replica-'));
  homes.push(home);
  return {
    home,
    host: '127.0.0.1',
    port: 0,
    strict: false,
    adminPassword: undefined,
    logLevel: 'info',
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    initial: { basics: { connectors: 'local' }, instances: {} },
  };
}

async function boot(serverSettings: ServerSettings, env: Record<string, string>): Promise<BootedServer> {
  const server = await bootServer({ settings: serverSettings, from: FROM, env });
  booted.push(server);
  return server;
}

async function refusal(promise: Promise<unknown>): Promise<ServerError> {
  try {
    await promise;
  } catch (error) {
    expect(isKnownError(error)).toBe(true);
    return error as ServerError;
  }
  throw new Error('expected a refusal');
}

/** Every row the server keeps about itself and its users: a refused boot must change none. */
async function snapshot(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = ['server_values', 'configuration', 'configuration_parameters', 'users'];
    const rows = await Promise.all(
      tables.map(async (table) => (await client.query(`SELECT * FROM ${table}`)).rows),
    );
    return JSON.stringify(rows);
  } finally {
    await client.end();
  }
}

describe('the secret key of a server on SQLite', () => {
  it('is checked even while no secret is stored: a start with another key is refused', async () => {
    const first = settings();
    await boot(first, { SLIPSTREAM_SECRET_KEY: KEY_A });
    await Promise.all(booted.splice(0).map((server) => server.close()));
    const error = await refusal(boot(first, { SLIPSTREAM_SECRET_KEY: KEY_B }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('is not the key the stored secrets were sealed with');
    expect(error.message).not.toContain(KEY_B);
    await boot(first, { SLIPSTREAM_SECRET_KEY: KEY_A });
  });
});

if (!postgresUnavailable) {
  describe('the secret key of replicas on PostgreSQL', () => {
    it('must be given: no replica makes a key of its own', async () => {
      const url = await freshDatabase(postgres(), 'keyless');
      const replica = settings(url);
      const error = await refusal(boot(replica, {}));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('set SLIPSTREAM_SECRET_KEY to the key, or SLIPSTREAM_SECRET_KEY_FILE');
      expect(existsSync(join(replica.home, 'secret.key'))).toBe(false);
    });

    it('comes from SLIPSTREAM_SECRET_KEY_FILE on every replica, which then share secrets', async () => {
      const url = await freshDatabase(postgres(), 'keyfile');
      const dir = mkdtempSync(join(tmpdir(), 'slipstream-key-'));
      homes.push(dir);
      const file = join(dir, 'key');
      writeFileSync(file, KEY_A, { mode: 0o600 });
      const a = await boot(settings(url), { SLIPSTREAM_SECRET_KEY_FILE: file });
      const sealed = a.box.seal('shared secret', 'aad');
      // The same key given as a value is the same key.
      const b = await boot(settings(url), { SLIPSTREAM_SECRET_KEY: KEY_A });
      expect(b.box.open(sealed, 'aad')).toBe('shared secret');
      const missing = await refusal(boot(settings(url), { SLIPSTREAM_SECRET_KEY_FILE: join(dir, 'nope') }));
      expect(missing.message).toContain(`The secret key file ${join(dir, 'nope')} does not exist`);
    });

    it('refuses a replica with another key before it writes anything, even while no secret is stored', async () => {
      const url = await freshDatabase(postgres(), 'otherkey');
      await boot(settings(url), { SLIPSTREAM_SECRET_KEY: KEY_A });
      const before = await snapshot(url);
      const error = await refusal(boot(settings(url), { SLIPSTREAM_SECRET_KEY: KEY_B }));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('every replica sharing a database must use the same key');
      expect(error.message).toContain('wrote nothing');
      expect(await snapshot(url)).toBe(before);
    });

    it('lets one of two replicas starting together with different keys on an empty database start', async () => {
      const url = await freshDatabase(postgres(), 'race');
      const results = await Promise.allSettled([
        boot(settings(url), { SLIPSTREAM_SECRET_KEY: KEY_A }),
        boot(settings(url), { SLIPSTREAM_SECRET_KEY: KEY_B }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(ServerError.hasCode(refused.reason, 'CONFIG_INVALID')).toBe(true);
    });
  });
}
