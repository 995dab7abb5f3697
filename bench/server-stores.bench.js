// The server on its two stores, side by side in one run: one server on SQLite, one on PostgreSQL,
// and two replicas sharing one PostgreSQL database with requests spread evenly over both. Every
// server is a child process (`node packages/server/dist/cli.js`), so that each replica has its own
// event loop, as in production; all of them (and the PostgreSQL of @slipstream/postgres-harness)
// stay up for the whole run, and the set-ups take turns each round. The same three `local`
// instances everywhere (no boot or halt delay, quotas far above what the run launches).
// - Launches per second: LAUNCHES launches of `count: 1` per round through
//   POST /api/clouds/<instance>/vms with a bearer token, 20 in flight, spread over the instances
//   and the replicas; nothing terminated. Each round launches as a new user (all made at start-up,
//   with credentials on every instance): the quota check reads all of the user's records on the
//   instance, so one launcher's growing history would slow every later round down.
// - GET /api/vms of another user with a fixed fleet of INSTANCES × FLEET running VMs (made at
//   start-up, so that every round lists the same): the median of sequential calls (alternating
//   between the replicas), and the throughput of CONCURRENT calls all at once.
// The `local` connector's cloud lives in each server process, so two replicas do not share one:
// a VM launched through replica A is unknown to replica B's cloud, and B listing it would take it
// for terminated elsewhere. The listed fleet is therefore mirrored: the lister's fleet is launched
// through the first replica, and a second user with the same cloud account launches the same
// batches, in the same order, through the second, so that both clouds hold VMs of the same ids for
// that account. Every set-up gets both fleets, so that every store holds the same records.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresUnavailableReason, startPostgres } from '@slipstream/postgres-harness';
import { Agent } from 'undici';
import {
  call,
  expectCall,
  interleave,
  median,
  medianOf,
  ms,
  printTable,
  ROUNDS,
  ratio,
  SERVER_DIR,
  WARMUP,
} from './server-harness.js';

const CLI = fileURLToPath(new URL('dist/cli.js', SERVER_DIR));
const LISTENING = /SlipStream server listening on (http:\/\/\S+)/;
const INSTANCES = ['l1', 'l2', 'l3'];
const LAUNCHES = 150; // per set-up and round
const IN_FLIGHT = 20;
const FLEET = 500; // the lister's VMs per instance
const BATCH = 100; // the API's largest `count`
const SEQUENTIAL = 4; // GET /api/vms one after another per round (2 per replica for two replicas)
const CONCURRENT = 20; // GET /api/vms all at once per round
const ACCOUNT = { key: 'bench', secret: 'bench-secret' };
const ADMIN_PASSWORD = 'bench-admin-password';
const LAUNCHER_PASSWORD = 'bench-launcher-password';
const LISTER = { name: 'lister', password: 'bench-lister-password' };
const MIRROR = { name: 'mirror', password: 'bench-mirror-password' };
const IMAGE = 'ubuntu-24.04';
const SIZE = 'small';

function config() {
  const parameters = {
    accounts: `${ACCOUNT.key}:${ACCOUNT.secret}`,
    'boot.delay.ms': 0,
    'halt.delay.ms': 0,
    'account.vm.limit': 1_000_000,
    'quota.vm': 100_000,
  };
  return {
    basics: { connectors: INSTANCES.map((name) => `${name}:local`).join(',') },
    instances: Object.fromEntries(INSTANCES.map((name) => [name, parameters])),
  };
}

/**
 * Spawns one server; resolves with its URL once the banner is printed, its log lines at `warn`
 * (any is a warning or an error to report) and `stop()`: SIGTERM by its handle, then its exit.
 */
async function spawnServer(label, env) {
  const child = spawn(process.execPath, [CLI], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { label, child, logged: [], stderr: '' };
  let out = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    server.stderr += chunk;
  });
  const exited = once(child, 'exit');
  server.stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  server.url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{')) server.logged.push(line);
        const match = LISTENING.exec(line);
        if (match) resolve(match[1]);
      }
    });
    exited.then(([code]) =>
      reject(new Error(`${label} exited (${code}) before listening:\n${out}\n${server.stderr}`)),
    );
  });
  return server;
}

async function login(url, name, password, dispatcher) {
  const { headers, json } = await expectCall(url, 'POST', '/api/login', 200, {
    body: { name, password },
    dispatcher,
  });
  return { cookie: String(headers['set-cookie']).split(';')[0], 'x-csrf-token': json.csrfToken };
}

/** A user with credentials on every instance; resolves with their bearer token's header. */
async function addUser(url, admin, user, dispatcher) {
  await expectCall(url, 'POST', '/api/users', 201, {
    headers: admin,
    body: { name: user.name, role: 'user', password: user.password },
    dispatcher,
  });
  const session = await login(url, user.name, user.password, dispatcher);
  const { json: token } = await expectCall(url, 'POST', '/api/tokens', 201, {
    headers: session,
    body: { name: 'bench' },
    dispatcher,
  });
  const auth = { authorization: `Bearer ${token.token}` };
  for (const instance of INSTANCES) {
    await expectCall(url, 'PUT', `/api/credentials/${instance}`, 200, {
      headers: auth,
      body: ACCOUNT,
      dispatcher,
    });
  }
  return auth;
}

/** FLEET VMs per instance in batches of BATCH, one batch after another (the cloud's ids in order). */
async function launchFleet(url, auth, tag, dispatcher) {
  await Promise.all(
    INSTANCES.map(async (instance) => {
      for (let batch = 1; batch <= FLEET / BATCH; batch += 1) {
        await expectCall(url, 'POST', `/api/clouds/${instance}/vms`, 201, {
          headers: auth,
          body: {
            name: `${tag}-${batch}`,
            image: IMAGE,
            size: SIZE,
            count: BATCH,
            idempotencyKey: `${tag}-${instance}-${batch}`,
          },
          dispatcher,
        });
      }
    }),
  );
}

/**
 * One set-up: its servers (one, or two replicas on one database), users and fleets. The launchers
 * (one per round) and the lister are made through the first server; the lister's fleet through the first, the
 * mirror's through the last (the same server when there is one).
 */
async function setUp(label, spawnAll, dispatcher) {
  const servers = await spawnAll();
  const setup = { label, servers, urls: servers.map((server) => server.url), round: 0 };
  const [first] = setup.urls;
  const last = setup.urls[setup.urls.length - 1];
  const admin = await login(first, 'admin', ADMIN_PASSWORD, dispatcher);
  setup.lister = await addUser(first, admin, LISTER, dispatcher);
  const mirror = await addUser(first, admin, MIRROR, dispatcher);
  const addLaunchers = async () => {
    const launchers = [];
    for (let round = 1; round <= WARMUP + ROUNDS; round += 1) {
      const launcher = { name: `launcher-${round}`, password: LAUNCHER_PASSWORD };
      launchers.push(await addUser(first, admin, launcher, dispatcher));
    }
    return launchers;
  };
  [setup.launchers] = await Promise.all([
    addLaunchers(),
    launchFleet(first, setup.lister, 'fleet', dispatcher),
    launchFleet(last, mirror, 'mirror', dispatcher),
  ]);
  // Every server lists the whole fleet running before anything is timed.
  for (const url of setup.urls) await timeList(url, setup.lister, dispatcher);
  return setup;
}

/** Runs `count` calls of `task(i)` with at most `inFlight` pending at once. */
async function concurrently(count, inFlight, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

/** One timed GET /api/vms, checking that the whole fleet came back running, without error. */
async function timeList(url, auth, dispatcher) {
  const expected = INSTANCES.length * FLEET;
  const started = performance.now();
  const answer = await call(url, 'GET', '/api/vms', { headers: auth, dispatcher });
  const elapsed = performance.now() - started;
  if (answer.status !== 200)
    throw new Error(`GET /api/vms on ${url}: ${answer.status} ${answer.text.slice(0, 500)}`);
  const { vms, errors } = answer.json;
  if (errors.length > 0) throw new Error(`GET /api/vms on ${url} answered errors: ${JSON.stringify(errors)}`);
  const running = vms.filter((vm) => vm.vm?.state === 'running').length;
  if (vms.length !== expected || running !== expected) {
    throw new Error(
      `GET /api/vms on ${url}: expected ${expected} running VMs, got ${vms.length} (${running} running)`,
    );
  }
  return elapsed;
}

/** One round of a set-up: the launches, then the sequential listings, then the concurrent ones. */
async function measureRound(setup, dispatcher) {
  setup.round += 1;
  const { urls } = setup;
  const at = (i) => urls[i % urls.length];

  const launchStarted = performance.now();
  await concurrently(LAUNCHES, IN_FLIGHT, async (i) => {
    const instance = INSTANCES[i % INSTANCES.length];
    const url = at(i);
    const key = `r${setup.round}-${i}`;
    const answer = await call(url, 'POST', `/api/clouds/${instance}/vms`, {
      headers: setup.launchers[setup.round - 1],
      body: { name: `launch-${key}`, image: IMAGE, size: SIZE, count: 1, idempotencyKey: key },
      dispatcher,
    });
    if (answer.status !== 201 || answer.json.replayed !== false || answer.json.vms.length !== 1) {
      throw new Error(
        `${setup.label}: launch ${key} on ${instance} via ${url}: ${answer.status} ${answer.text.slice(0, 500)}`,
      );
    }
  });
  const launchMs = performance.now() - launchStarted;

  const byServer = urls.map(() => []);
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    const server = (i + setup.round) % urls.length;
    byServer[server].push(await timeList(urls[server], setup.lister, dispatcher));
  }
  const concurrentStarted = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => timeList(at(i), setup.lister, dispatcher)));
  const concurrentMs = performance.now() - concurrentStarted;

  const sample = {
    launches: (LAUNCHES / launchMs) * 1000,
    ms: median(byServer.flat()),
    calls: (CONCURRENT / concurrentMs) * 1000,
  };
  byServer.forEach((times, server) => {
    sample[`ms${server}`] = median(times);
  });
  return sample;
}

export async function run() {
  const startedAt = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'slipstream-bench-stores-'));
  const configFile = join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify(config()));
  const dispatcher = new Agent();
  const spawned = [];
  let postgres;
  const serverEnv = (home, extra = {}) => ({
    PORT: '0',
    HOST: '127.0.0.1',
    SLIPSTREAM_HOME: mkdtempSync(join(root, `${home}-`)),
    SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SLIPSTREAM_LOG_LEVEL: 'warn',
    SLIPSTREAM_CONFIG: configFile,
    ...extra,
  });
  const start = async (label, env) => {
    const server = await spawnServer(label, env);
    spawned.push(server);
    return server;
  };
  try {
    const unavailable = postgresUnavailableReason();
    const sqlite = () =>
      setUp('sqlite', async () => [await start('SQLite server', serverEnv('sqlite'))], dispatcher);
    const starting = [];
    if (unavailable) {
      starting.push(sqlite());
      console.log(`PostgreSQL set-ups skipped: a real PostgreSQL cannot run here: ${unavailable}`);
    } else {
      postgres = await startPostgres();
      const singleUrl = await postgres.createDatabase('single');
      const replicasUrl = await postgres.createDatabase('replicas');
      const pg = (url) => ({
        SLIPSTREAM_DATABASE_URL: url,
        SLIPSTREAM_SECRET_KEY: randomBytes(32).toString('hex'),
      });
      const shared = pg(replicasUrl); // one key for both replicas
      starting.push(
        sqlite(),
        setUp(
          'postgres',
          async () => [await start('PostgreSQL server', serverEnv('single', pg(singleUrl)))],
          dispatcher,
        ),
        setUp(
          'replicas',
          async () => {
            // The second starts once the first has migrated and seeded the database.
            const a = await start('replica A', serverEnv('replica-a', shared));
            const b = await start('replica B', serverEnv('replica-b', shared));
            return [a, b];
          },
          dispatcher,
        ),
      );
    }
    // Every set-up settles before any failure is thrown, so that `finally` stops all it spawned.
    const settled = await Promise.allSettled(starting);
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    const setups = settled.map((result) => result.value);
    const setupMs = performance.now() - startedAt;

    const samples = await interleave(
      Object.fromEntries(setups.map((setup) => [setup.label, () => measureRound(setup, dispatcher)])),
    );

    const labels = {
      sqlite: '1 server, SQLite',
      postgres: `1 server, PostgreSQL ${postgres?.major ?? ''}`.trim(),
      replicas: `2 replicas, one PostgreSQL ${postgres?.major ?? ''} database`.trim(),
    };
    const base = {
      launches: medianOf(samples, 'sqlite', 'launches'),
      ms: medianOf(samples, 'sqlite', 'ms'),
      calls: medianOf(samples, 'sqlite', 'calls'),
    };
    console.log(
      `${INSTANCES.length} local instances; launches: ${LAUNCHES} × count 1 per round, ${IN_FLIGHT} in flight; ` +
        `GET /api/vms: ${INSTANCES.length} × ${FLEET} running VMs, ${SEQUENTIAL} sequential and ${CONCURRENT} concurrent calls per round; ` +
        `each server a child process; median of ${ROUNDS} interleaved rounds (${WARMUP} warm-up), Node ${process.version}`,
    );
    printTable(
      [
        'set-up',
        'launches/s',
        'vs SQLite',
        'GET /api/vms',
        'vs SQLite',
        `GET /api/vms calls/s, ${CONCURRENT} in flight`,
        'vs SQLite',
      ],
      setups.map(({ label }) => {
        const launches = medianOf(samples, label, 'launches');
        const list = medianOf(samples, label, 'ms');
        const calls = medianOf(samples, label, 'calls');
        return [
          labels[label],
          launches.toFixed(0),
          ratio(launches, base.launches),
          ms(list),
          ratio(list, base.ms),
          calls.toFixed(1),
          ratio(calls, base.calls),
        ];
      }),
    );
    const replicas = setups.find((setup) => setup.label === 'replicas');
    if (replicas) {
      console.log(
        `Replicas' sequential GET /api/vms: A ${ms(medianOf(samples, 'replicas', 'ms0'))}, B ${ms(medianOf(samples, 'replicas', 'ms1'))}.`,
      );
    }
    const logged = spawned.flatMap((server) => server.logged.map((line) => `${server.label}: ${line}`));
    console.log(
      `Start-up (PostgreSQL, servers, users, fleets) ${(setupMs / 1000).toFixed(1)} s, whole run ${((performance.now() - startedAt) / 1000).toFixed(1)} s; ` +
        `warnings or errors logged by the servers: ${logged.length}`,
    );
    for (const line of logged.slice(0, 20)) console.log(`  ${line.slice(0, 400)}`);
  } finally {
    for (const server of spawned) await server.stop();
    const failed = spawned.filter((server) => server.child.exitCode !== 0 || server.stderr !== '');
    for (const server of failed) {
      const first = server.stderr.split('\n').find((line) => line.trim() !== '') ?? '';
      console.log(
        `${server.label} exited with ${server.child.exitCode ?? server.child.signalCode}; stderr: ${first.slice(0, 300)}`,
      );
    }
    await dispatcher.close();
    await postgres?.close();
    rmSync(root, { recursive: true, force: true });
  }
}
