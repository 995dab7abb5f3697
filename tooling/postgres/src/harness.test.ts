import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdentifier, type RunningPostgres, serverSettings, startPostgres } from './harness.js';
import { postgresUnavailableReason } from './install.js';
import { groupAlive } from './postmaster.js';

// Only a machine that has not got PostgreSQL and cannot install it (not root, no apt-get) skips;
// the reason is the skipped test's name, so that a skipped run never looks like a passing one.
const unavailable = postgresUnavailableReason();
if (unavailable && process.env.SLIPSTREAM_REQUIRE_POSTGRES) {
  throw new Error(`SLIPSTREAM_REQUIRE_POSTGRES is set but a real PostgreSQL cannot run here: ${unavailable}`);
}
if (unavailable) console.warn(`Skipping the real PostgreSQL tests: ${unavailable}`);
if (unavailable) it.skip(`real PostgreSQL tests skipped: ${unavailable}`, () => {});

/** A first run installs Debian's postgresql (a few packages); later runs only initdb and start (~2 s). */
const START_TIMEOUT_MS = 120_000;

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Connects, runs one query, disconnects. */
async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('serverSettings and quoteIdentifier', () => {
  it('listens on 127.0.0.1 only, keeps the socket in the directory and allows 300 connections', () => {
    const settings = serverSettings("/tmp/slipstream-postgres-it's");
    expect(settings).toContain("listen_addresses = '127.0.0.1'");
    expect(settings).toContain("unix_socket_directories = '/tmp/slipstream-postgres-it''s'");
    expect(settings).toContain('max_connections = 300');
    expect(serverSettings('/tmp/x', { maxConnections: 500 })).toContain('max_connections = 500');
  });

  it('quotes database names', () => {
    expect(quoteIdentifier('tenant_1')).toBe('"tenant_1"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});

describe.skipIf(unavailable)('startPostgres (Debian postgresql)', { timeout: 60_000 }, () => {
  let postgres: RunningPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await postgres?.close();
  });

  it('serves the default database on 127.0.0.1 with the superuser and its password', async () => {
    expect(postgres.url).toBe(
      `postgres://slipstream:${postgres.password}@127.0.0.1:${postgres.port}/slipstream`,
    );
    const [row] = await query<{ database: string; user: string; superuser: string; connections: string }>(
      postgres.url,
      `SELECT current_database() AS database, current_user AS user,
              current_setting('is_superuser') AS superuser, current_setting('max_connections') AS connections`,
    );
    expect(row).toEqual({ database: 'slipstream', user: 'slipstream', superuser: 'on', connections: '300' });
    const [version] = await query<{ server_version_num: string }>(postgres.url, 'SHOW server_version_num');
    expect(Math.floor(Number(version?.server_version_num) / 10_000)).toBe(postgres.major);
  });

  it('refuses a wrong password (SCRAM authentication)', async () => {
    const wrong = postgres.url.replace(postgres.password, 'not-the-password');
    await expect(query(wrong, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('creates a database per test and returns its URL', async () => {
    const url = await postgres.createDatabase('tenant_one');
    expect(url).toBe(`postgres://slipstream:${postgres.password}@127.0.0.1:${postgres.port}/tenant_one`);
    await query(url, 'CREATE TABLE items (id int PRIMARY KEY, name text)');
    await query(url, "INSERT INTO items VALUES (1, 'ünïcode')");
    expect(await query(url, 'SELECT name FROM items')).toEqual([{ name: 'ünïcode' }]);
    const [encoding] = await query<{ server_encoding: string }>(url, 'SHOW server_encoding');
    expect(encoding?.server_encoding).toBe('UTF8');
    // Databases are separate: the default one has no such table.
    await expect(query(postgres.url, 'SELECT * FROM items')).rejects.toThrow(/does not exist/);
  });

  it('stops ("the database went away") and starts again on the same port with the same data', async () => {
    const url = await postgres.createDatabase('survives_restart');
    await query(url, 'CREATE TABLE kept (value text)');
    await query(url, "INSERT INTO kept VALUES ('still here')");
    const client = new pg.Client({ connectionString: url });
    const clientErrors: Error[] = [];
    client.on('error', (error) => clientErrors.push(error));
    await client.connect();
    const firstPid = postgres.pid;

    await postgres.stop();
    expect(groupAlive(firstPid)).toBe(false);
    expect(await refused(postgres.port)).toBe(true);
    // A client connected before is cut off, and a new one is refused.
    await expect(client.query('SELECT 1')).rejects.toThrow();
    await client.end().catch(() => {});
    await expect(query(url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(postgres.dir)).toBe(true);

    await postgres.start();
    expect(postgres.pid).not.toBe(firstPid);
    expect(await query(url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
    expect(await query(postgres.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(await postgres.logs()).toMatch(/database system is ready to accept connections/);
  });

  // Last: it stops the PostgreSQL the tests above share (afterAll's close() is then a no-op).
  it('close() stops the server, frees the port and removes the directory; twice is fine', async () => {
    expect(groupAlive(postgres.pid)).toBe(true);
    expect(await refused(postgres.port)).toBe(false);
    await postgres.close();
    expect(groupAlive(postgres.pid)).toBe(false);
    expect(await refused(postgres.port)).toBe(true);
    expect(existsSync(postgres.dir)).toBe(false);
    await postgres.close();
    await expect(postgres.start()).rejects.toThrow(/closed/);
  });
});

/** The built package: a child Node process cannot import this TypeScript (turbo builds before it tests). */
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/**
 * A separate Node process that starts a PostgreSQL, prints its pid and directory, and then ends
 * without close(): by exiting (the 'exit' hook) or by being killed with SIGKILL (no hook runs).
 */
function orphanedServer(ending: 'exit' | 'SIGKILL'): Promise<{ pid: number; dir: string }> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run pnpm build in tooling/postgres first.`);
  const script = `
    const { startPostgres } = await import(process.argv[1]);
    const postgres = await startPostgres();
    console.log(JSON.stringify({ pid: postgres.pid, dir: postgres.dir }));
    if (process.argv[2] === 'exit') process.exit(0);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, DIST, ending], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('\n')) return;
      const started = JSON.parse(output) as { pid: number; dir: string };
      if (ending === 'SIGKILL') child.kill('SIGKILL');
      child.once('exit', () => resolve(started));
    });
    child.once('exit', (code, signal) => {
      if (!output.includes('\n'))
        reject(new Error(`the child ended (${code ?? signal}) before it started PostgreSQL`));
    });
  });
}

async function gone(pgid: number): Promise<boolean> {
  for (let round = 0; round < 200 && groupAlive(pgid); round += 1) await delay(50);
  return !groupAlive(pgid);
}

describe.skipIf(unavailable)(
  'a test process that ends without close()',
  { timeout: START_TIMEOUT_MS },
  () => {
    it("leaves no server and no directory when it exits (the 'exit' hook)", async () => {
      const { pid, dir } = await orphanedServer('exit');
      expect(await gone(pid)).toBe(true);
      expect(existsSync(dir)).toBe(false);
    });

    it('leaves no server when it is killed with SIGKILL (setpriv --pdeathsig: immediate shutdown)', async () => {
      const { pid, dir } = await orphanedServer('SIGKILL');
      try {
        expect(await gone(pid)).toBe(true);
      } finally {
        // No hook ran, so the directory is still there: ours to remove.
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
