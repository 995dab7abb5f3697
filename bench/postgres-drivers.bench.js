// The PostgreSQL driver for the server's store, chosen by measurement: node-postgres (`pg`, the
// store's pg.Pool, statements as `pool.query(text, params)`) against porsager's `postgres` (tagged
// templates), on a real PostgreSQL from @slipstream/postgres-harness, both with 10 connections to
// the same database and the same `vm_records` table of 10,000 rows, on the store's kinds of work.
// Each driver runs with its defaults, as the store would use it: `pg` sends unnamed statements (a
// parse per query) one at a time per connection; `postgres` prepares statements per connection
// and pipelines queries when every connection is busy.
import { readFileSync } from 'node:fs';
import { postgresUnavailableReason, startPostgres } from '@slipstream/postgres-harness';
import pg from 'pg';
import postgres from 'postgres';
import { interleave, medianOf, printTable, ROUNDS, ratio, WARMUP } from './server-harness.js';

/** An installed package's version, from its package.json next to the root's node_modules. */
const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

const ROWS = 10_000;
const OWNERS = 10;
const POOL = 10;
const READS = 2_000;
const INSERTS = 500;
const LISTINGS = 5;
const TRANSACTIONS = 200;
const EVEN = 0.05; // ratios within ±5 % count as even in the verdict

const SCHEMA = `
CREATE TABLE vm_records (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  instance TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  cloud_id TEXT,
  account TEXT,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  request_json TEXT NOT NULL,
  error_json TEXT,
  lease_owner TEXT,
  lease_until BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (owner_id, instance, idempotency_key)
);
CREATE INDEX vm_records_instance ON vm_records (instance, cloud_id);
CREATE INDEX vm_records_state ON vm_records (state);
CREATE INDEX vm_records_leases ON vm_records (state, lease_until);
`;

const COLUMNS = [
  'id',
  'owner_id',
  'instance',
  'idempotency_key',
  'cloud_id',
  'account',
  'name',
  'state',
  'request_json',
  'error_json',
  'lease_owner',
  'lease_until',
  'created_at',
  'updated_at',
];

const BASE_TIME = Date.parse('2025-01-01T00:00:00.000Z');

/** A launch request as the server stores it, about 300 bytes of JSON. */
function requestJson(n) {
  return JSON.stringify({
    name: `vm-${n}`,
    image: `ami-${(0x1000_0000 + n).toString(16)}`,
    size: 'm5.large',
    count: 1,
    idempotencyKey: `key-${n}`,
    network: { id: `net-${n % 7}`, subnet: `subnet-${n % 13}`, securityGroups: ['sg-default', 'sg-web'] },
    keyPair: `bench-key-${n % 3}`,
    userData: 'I2Nsb3VkLWNvbmZpZwpwYWNrYWdlczogW25naW54XQo=',
    tags: { team: 'bench', purpose: 'driver-comparison' },
  });
}

/** One vm_records row as an array in COLUMNS order; `prefix` keeps inserted rows apart from the seed. */
function record(prefix, n) {
  const at = new Date(BASE_TIME + n * 1000).toISOString();
  const owner = `user-${n % OWNERS}`;
  return [
    `${prefix}-${String(n).padStart(6, '0')}`,
    owner,
    `cloud-${n % 4}`,
    `${prefix}-key-${n}`,
    n % 10 === 0 ? null : `i-${n.toString(16).padStart(8, '0')}`,
    'bench',
    `vm-${n}`,
    n % 10 === 0 ? 'launching' : 'launched',
    requestJson(n),
    null,
    null,
    null,
    at,
    at,
  ];
}

/** Runs `count` calls of `task(i)` with at most `inFlight` pending at once; resolves with their results. */
async function concurrently(count, inFlight, task) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return results;
}

/** Wall time and this process's CPU time (user + system) of one run of `work`. */
async function measure(work) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { result, sample: { ms: wall, cpu: (used.user + used.system) / 1000 } };
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** The five workloads for one driver, as functions `(tag) => Promise<void>` that check their results. */
function workloads(driver, ids) {
  const insertSql = `INSERT INTO vm_records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (owner_id, instance, idempotency_key) DO NOTHING RETURNING *`;
  return {
    sequentialReads: async () => {
      for (let i = 0; i < READS; i += 1) {
        const row = await driver.byId(ids[i]);
        expect(row?.id === ids[i], `${driver.name}: read ${ids[i]} returned ${row?.id}`);
      }
    },
    concurrentReads: async () => {
      const rows = await concurrently(READS, 50, (i) => driver.byId(ids[i]));
      expect(
        rows.every((row, i) => row?.id === ids[i]),
        `${driver.name}: a concurrent read returned the wrong row`,
      );
    },
    inserts: async (tag) => {
      const rows = await concurrently(INSERTS, 20, (i) => driver.insert(insertSql, record(tag, i)));
      expect(
        rows.every((row, i) => row?.id === record(tag, i)[0] && row.request_json.length > 250),
        `${driver.name}: an insert did not return its row`,
      );
    },
    listing: async () => {
      for (let i = 0; i < LISTINGS; i += 1) {
        const rows = await driver.list();
        expect(rows.length === ROWS, `${driver.name}: listed ${rows.length} rows, expected ${ROWS}`);
        expect(rows[0].id === 'seed-000000' && rows[ROWS - 1].request_json.length > 250, 'bad listing');
      }
    },
    transactions: async (tag) => {
      const counts = await concurrently(TRANSACTIONS, 10, (i) => {
        const row = record(tag, i);
        return driver.transaction(row[1], insertSql, row);
      });
      expect(
        counts.every((count) => count >= ROWS / OWNERS),
        `${driver.name}: a transaction counted too few rows`,
      );
    },
  };
}

/** node-postgres as the store uses it: a pg.Pool, `pool.query(text, params)`, transactions on a checked-out client. */
function pgDriver(url) {
  const pool = new pg.Pool({ connectionString: url, max: POOL, application_name: 'bench-pg' });
  pool.on('error', () => {});
  return {
    name: 'pg',
    byId: async (id) => (await pool.query('SELECT * FROM vm_records WHERE id = $1', [id])).rows[0],
    insert: async (text, values) => (await pool.query(text, values)).rows[0],
    list: async () => (await pool.query('SELECT * FROM vm_records ORDER BY created_at, id')).rows,
    transaction: async (owner, text, values) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(1)');
        const { rows } = await client.query(
          'SELECT count(*)::int AS count FROM vm_records WHERE owner_id = $1',
          [owner],
        );
        await client.query(text, values);
        await client.query('COMMIT');
        return rows[0].count;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    cleanup: (tag) => pool.query('DELETE FROM vm_records WHERE id LIKE $1', [`${tag}-%`]),
    close: () => pool.end(),
  };
}

/** porsager's postgres with its defaults: tagged templates (prepared, pipelined), sql.begin() for transactions. */
function postgresDriver(url) {
  const sql = postgres(url, {
    max: POOL,
    connection: { application_name: 'bench-postgres' },
    onnotice: () => {},
  });
  const insert = (db, row) => {
    const [
      id,
      owner,
      instance,
      key,
      cloudId,
      account,
      name,
      state,
      request,
      error,
      lease,
      until,
      created,
      updated,
    ] = row;
    return db`
      INSERT INTO vm_records (${db(COLUMNS)})
      VALUES (${id}, ${owner}, ${instance}, ${key}, ${cloudId}, ${account}, ${name}, ${state}, ${request},
              ${error}, ${lease}, ${until}, ${created}, ${updated})
      ON CONFLICT (owner_id, instance, idempotency_key) DO NOTHING RETURNING *`;
  };
  return {
    name: 'postgres',
    byId: async (id) => (await sql`SELECT * FROM vm_records WHERE id = ${id}`)[0],
    insert: async (_text, values) => (await insert(sql, values))[0],
    list: () => sql`SELECT * FROM vm_records ORDER BY created_at, id`,
    transaction: (owner, _text, values) =>
      sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(1)`;
        const [{ count }] = await tx`SELECT count(*)::int AS count FROM vm_records WHERE owner_id = ${owner}`;
        await insert(tx, values);
        return count;
      }),
    cleanup: (tag) => sql`DELETE FROM vm_records WHERE id LIKE ${`${tag}-%`}`,
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The seed: ROWS records in one transaction, through unnest so that it is a handful of statements. */
async function seed(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(SCHEMA);
    for (let start = 0; start < ROWS; start += 1000) {
      const rows = Array.from({ length: 1000 }, (_, i) => record('seed', start + i));
      const columns = COLUMNS.map((_, c) => rows.map((row) => row[c]));
      await client.query(
        `INSERT INTO vm_records (${COLUMNS.join(', ')}) SELECT * FROM unnest(${COLUMNS.map(
          (column, c) => `$${c + 1}::${column === 'lease_until' ? 'bigint' : 'text'}[]`,
        ).join(', ')})`,
        columns,
      );
    }
    await client.query('VACUUM ANALYZE vm_records');
  } finally {
    await client.end();
  }
}

const LABELS = {
  sequentialReads: `${READS.toLocaleString('en')} point reads by id, one after another`,
  concurrentReads: `${READS.toLocaleString('en')} point reads by id, 50 in flight`,
  inserts: `${INSERTS} INSERT … ON CONFLICT DO NOTHING RETURNING *, 20 in flight`,
  listing: `full listing of ${ROWS.toLocaleString('en')} rows ORDER BY created_at, id, ×${LISTINGS}`,
  transactions: `${TRANSACTIONS} transactions (advisory lock, count, insert), 10 in flight`,
};

export async function run() {
  const unavailable = postgresUnavailableReason();
  if (unavailable) {
    console.log(`Skipped: a real PostgreSQL cannot run here: ${unavailable}`);
    return;
  }
  const server = await startPostgres();
  const drivers = [];
  try {
    const url = await server.createDatabase('drivers');
    await seed(url);
    drivers.push(pgDriver(url), postgresDriver(url));
    // The same 2,000 ids for both drivers, spread over the table in a fixed pseudo-random order.
    const ids = Array.from({ length: READS }, (_, i) => `seed-${String((i * 7919) % ROWS).padStart(6, '0')}`);
    const sets = Object.fromEntries(drivers.map((driver) => [driver.name, workloads(driver, ids)]));
    const results = [];
    for (const workload of Object.keys(LABELS)) {
      let sequence = 0;
      const side = (driver) => async () => {
        sequence += 1;
        const tag = `${driver.name}-${workload}-${sequence}`;
        const { sample } = await measure(() => sets[driver.name][workload](tag));
        // Inserted rows go again outside the timing, so that every listing sees the same 10,000 rows.
        if (workload === 'inserts' || workload === 'transactions') await driver.cleanup(tag);
        return sample;
      };
      const samples = await interleave(
        Object.fromEntries(drivers.map((driver) => [driver.name, side(driver)])),
      );
      results.push({
        workload,
        pg: { ms: medianOf(samples, 'pg'), cpu: medianOf(samples, 'pg', 'cpu') },
        postgres: { ms: medianOf(samples, 'postgres'), cpu: medianOf(samples, 'postgres', 'cpu') },
      });
    }

    console.log(
      `pg ${versionOf('pg')} (pg.Pool, unnamed statements) vs postgres ${versionOf('postgres')} (tagged templates, prepared), ` +
        `${POOL} connections each, PostgreSQL ${server.major} on 127.0.0.1, ${ROWS.toLocaleString('en')} rows; ` +
        `median of ${ROUNDS} alternating rounds (${WARMUP} warm-up), Node ${process.version}`,
    );
    printTable(
      [
        'workload',
        'pg wall',
        'postgres wall',
        'postgres/pg wall',
        'pg CPU',
        'postgres CPU',
        'postgres/pg CPU',
      ],
      results.map(({ workload, pg: a, postgres: b }) => [
        LABELS[workload],
        `${a.ms.toFixed(1)} ms`,
        `${b.ms.toFixed(1)} ms`,
        ratio(b.ms, a.ms),
        `${a.cpu.toFixed(1)} ms`,
        `${b.cpu.toFixed(1)} ms`,
        ratio(b.cpu, a.cpu),
      ]),
    );
    console.log(verdict(results));
  } finally {
    for (const driver of drivers) await driver.close().catch(() => {});
    await server.close();
  }
}

/** One line from the numbers: which driver is faster (wall time) on which workloads, and CPU overall. */
function verdict(results) {
  const groups = { postgres: [], pg: [], even: [] };
  for (const { workload, pg: a, postgres: b } of results) {
    const r = b.ms / a.ms;
    const short = workload.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
    if (r < 1 - EVEN) groups.postgres.push(`${short} ×${(a.ms / b.ms).toFixed(2)}`);
    else if (r > 1 + EVEN) groups.pg.push(`${short} ×${r.toFixed(2)}`);
    else groups.even.push(short);
  }
  const cpuPg = results.reduce((sum, r) => sum + r.pg.cpu, 0);
  const cpuPostgres = results.reduce((sum, r) => sum + r.postgres.cpu, 0);
  const parts = [];
  if (groups.postgres.length) parts.push(`postgres faster on ${groups.postgres.join(', ')}`);
  if (groups.pg.length) parts.push(`pg faster on ${groups.pg.join(', ')}`);
  if (groups.even.length) parts.push(`even (within ±${EVEN * 100} %) on ${groups.even.join(', ')}`);
  return (
    `Verdict (wall time; ×N = how many times faster): ${parts.join('; ')}. ` +
    `Client CPU over all workloads: pg ${cpuPg.toFixed(0)} ms, postgres ${cpuPostgres.toFixed(0)} ms (postgres/pg ×${(cpuPostgres / cpuPg).toFixed(2)}).`
  );
}
