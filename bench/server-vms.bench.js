// GET /api/vms over HTTP for one user's 20 instances × 500 VMs, against the floor: the same
// instances' sessions' describe() called directly and concurrently, in this process, asked for the
// same ids as the server asks for (its records' cloud ids), as the listing does (src/vms/list.ts).
// Two set-ups, one after the other: 20 `local` instances (whose describe is an in-memory map, so that
// the ratio shows the server's own overhead; plus the server with 1 × 500), then 20 CloudStack
// instances, each on its own simulator (a fleet in a child process, so that the simulators' work
// is not charged to either side) — the issue's target, within ×1.5 of the connectors' describe.
// The server's time runs until the answer's last byte arrived; the client's decoding of it is shown apart,
// as is JSON.stringify of the decoded answer: the least any server pays to send it.
// The CPU column is this process's (the server runs in it, as do the floor's sessions): with the
// simulators in a child process, it is what the server costs where wall time waits for the clouds.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { record } from './results.js';
import {
  expectCall,
  interleave,
  medianOf,
  ms,
  printTable,
  ROUNDS,
  ratio,
  SERVER_DIR,
  WARMUP,
} from './server-harness.js';

const INSTANCES = 20;
const VMS = 500; // per instance
const BATCH = 100; // the API's largest `count`
const ACCOUNT = { key: 'bench', secret: 'bench-secret' };
const ADMIN_PASSWORD = 'bench-admin-password';
const USER = { name: 'bench', password: 'bench-user-password' };
// A CloudStack round takes seconds (the simulators render 10,000 VMs each side): fewer of them, so
// that the bench stays within minutes: at most 7 (BENCH_ROUNDS sets fewer).
const CLOUD_ROUNDS = Math.min(ROUNDS, 7);
const CLOUD_WARMUP = 2;

const server = await import(new URL('dist/index.js', SERVER_DIR).href);
const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const cloudstack = (
  await import(new URL('../packages/connector-cloudstack/dist/index.js', import.meta.url).href)
).default;

/**
 * `count` CloudStack simulators in a child process (bench/fleet.js), each with one account allowed
 * twice VMS VMs and none yet, launched VMs running at once. Resolves with their URLs and accounts.
 */
async function startCloudStackFleet(count) {
  const script = new URL('fleet.js', import.meta.url).pathname;
  const args = ['--cloud', 'cloudstack', '--clouds', String(count), '--vms', '0'];
  args.push('--vm-limit', String(2 * VMS), '--boot-delay', '0');
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  return { fleet: JSON.parse(line), stop: () => child.stdin.end() };
}

/** The set-ups' instances: a name, its connector, its parameters and the user's credentials on it. */
function localInstances(count) {
  const parameters = {
    accounts: `${ACCOUNT.key}:${ACCOUNT.secret}`,
    'boot.delay.ms': 0,
    'halt.delay.ms': 0,
    'account.vm.limit': 2 * VMS,
    'quota.vm': 2 * VMS,
  };
  return Array.from({ length: count }, (_, i) => ({
    name: `l${i + 1}`,
    connector: 'local',
    parameters,
    credentials: ACCOUNT,
  }));
}

function cloudStackInstances(fleet) {
  return fleet.map((cloud, i) => ({
    name: `cs${i + 1}`,
    connector: 'cloudstack',
    // Launches wait for their deploy jobs: poll them often, the simulators finish them at once.
    parameters: { endpoint: `${cloud.url}/client/api`, 'async.poll.interval.ms': 10, 'quota.vm': 2 * VMS },
    credentials: { key: cloud.key, secret: cloud.secret },
  }));
}

/**
 * A server in a new home under `root` with `instances`, a user `bench` with credentials on each,
 * and VMS VMs launched per instance through the API (in the first zone the instance lists, when
 * `zone`). Resolves with the server, the user's bearer token and the instances.
 */
async function startLoaded(root, label, instances, dispatcher, { zone = false } = {}) {
  const home = join(root, `home-${label}`);
  const settings = server.readServerSettings({
    env: {
      SLIPSTREAM_HOME: home,
      HOST: '127.0.0.1',
      PORT: '0',
      SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SLIPSTREAM_LOG_LEVEL: 'warn',
      // The 20 simulators share one process (and this machine): a listing may take longer than
      // the default 8 s on a loaded machine, which is not what is measured here.
      SLIPSTREAM_LIST_TIMEOUT_MS: '60000',
    },
    argv: [],
    cwd: root,
  });
  const initial = {
    basics: { connectors: instances.map(({ name, connector }) => `${name}:${connector}`).join(',') },
    instances: Object.fromEntries(instances.map(({ name, parameters }) => [name, parameters])),
  };
  const running = await server.startServer({
    settings: { ...settings, initial },
    from: SERVER_DIR,
    logger: server.createServerLogger({ level: settings.logLevel }),
    env: {},
  });
  try {
    const url = running.url;
    const login = async (username, password) => {
      const { headers, json } = await expectCall(url, 'POST', '/api/login', 200, {
        body: { name: username, password },
        dispatcher,
      });
      return { cookie: String(headers['set-cookie']).split(';')[0], 'x-csrf-token': json.csrfToken };
    };
    const admin = await login('admin', ADMIN_PASSWORD);
    await expectCall(url, 'POST', '/api/users', 201, {
      headers: admin,
      body: { name: USER.name, role: 'user', password: USER.password },
      dispatcher,
    });
    const session = await login(USER.name, USER.password);
    const { json: token } = await expectCall(url, 'POST', '/api/tokens', 201, {
      headers: session,
      body: { name: 'bench' },
      dispatcher,
    });
    const auth = { authorization: `Bearer ${token.token}` };
    await Promise.all(
      instances.map(async ({ name, credentials }) => {
        const options = { headers: auth, dispatcher };
        await expectCall(url, 'PUT', `/api/credentials/${name}`, 200, { ...options, body: credentials });
        const { json: images } = await expectCall(url, 'GET', `/api/clouds/${name}/images`, 200, options);
        const { json: sizes } = await expectCall(url, 'GET', `/api/clouds/${name}/sizes`, 200, options);
        const where = zone
          ? {
              zone: (await expectCall(url, 'GET', `/api/clouds/${name}/zones`, 200, options)).json.zones[0]
                .id,
            }
          : {};
        for (let batch = 1; batch <= VMS / BATCH; batch += 1) {
          await expectCall(url, 'POST', `/api/clouds/${name}/vms`, 201, {
            ...options,
            body: {
              name: `bench-${batch}`,
              image: images.images[0].id,
              size: sizes.sizes[0].id,
              ...where,
              count: BATCH,
              idempotencyKey: `bench-${name}-${batch}`,
            },
          });
        }
      }),
    );
    return { running, auth, instances };
  } catch (error) {
    await running.close();
    throw error;
  }
}

/**
 * One timed GET /api/vms: from the request until the answer's last byte arrived, which is the
 * server's work. Decoding the 5 MB answer (UTF-8, then JSON.parse) is the client's, and the same
 * whatever the server does: timed apart (`decode`), then the answer is checked — every VM back with
 * the cloud's view and no error.
 */
async function timeList(loaded, expected, dispatcher) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await request(`${loaded.running.url}/api/vms`, { headers: loaded.auth, dispatcher });
  const chunks = [];
  for await (const chunk of response.body) chunks.push(chunk);
  const received = performance.now();
  const used = process.cpuUsage(cpu);
  const body = Buffer.concat(chunks);
  const text = body.toString('utf8');
  const json = response.statusCode === 200 ? JSON.parse(text) : undefined;
  const decoded = performance.now();
  if (json === undefined) throw new Error(`GET /api/vms: ${response.statusCode} ${text.slice(0, 500)}`);
  const { vms, errors } = json;
  if (errors.length > 0) throw new Error(`GET /api/vms answered errors: ${JSON.stringify(errors)}`);
  const described = vms.filter((vm) => vm.vm?.state === 'running').length;
  if (vms.length !== expected || described !== expected) {
    throw new Error(`expected ${expected} running VMs, got ${vms.length} (${described} running)`);
  }
  // The least any server pays to send this answer: turning it into JSON text once.
  const encodeStarted = performance.now();
  JSON.stringify(json);
  const encode = performance.now() - encodeStarted;
  const cpuMs = (used.user + used.system) / 1000;
  return { ms: received - started, cpu: cpuMs, decode: decoded - received, encode, bytes: body.length };
}

/**
 * The floor's side: `sessions` (each with the ids the server asks its instance for: its records'
 * cloud ids) describing them all at once.
 */
function floorOf(sessions, total) {
  return async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const described = await Promise.all(sessions.map(({ session, ids }) => session.describe({ ids })));
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const count = described.reduce((sum, vms) => sum + vms.length, 0);
    if (count !== total) throw new Error(`floor: expected ${total} VMs, got ${count}`);
    return {
      ms: elapsed,
      cpu: (used.user + used.system) / 1000,
      decode: Number.NaN,
      encode: Number.NaN,
      bytes: Number.NaN,
    };
  };
}

/** The cloud ids of the user's VMs, by instance, as the server lists them. */
async function idsByInstance(loaded, dispatcher) {
  const { json } = await expectCall(loaded.running.url, 'GET', '/api/vms', 200, {
    headers: loaded.auth,
    dispatcher,
  });
  const ids = new Map(loaded.instances.map(({ name }) => [name, []]));
  for (const vm of json.vms) ids.get(vm.instance).push(vm.cloudId);
  return ids;
}

/** One table row and one recorded row of a side: medians, and the ratio to the set-up's floor. */
function summarise(setup, samples, sides) {
  const base = medianOf(samples, 'floor');
  const table = [];
  const rows = [];
  for (const { side, label, vms } of sides) {
    const wallMs = medianOf(samples, side);
    const bytes = medianOf(samples, side, 'bytes');
    const decode = medianOf(samples, side, 'decode');
    const encode = medianOf(samples, side, 'encode');
    const cpuMs = medianOf(samples, side, 'cpu');
    table.push([
      label,
      ms(wallMs),
      ratio(wallMs, base),
      `${ms(cpuMs)} (${ratio(cpuMs, medianOf(samples, 'floor', 'cpu'))})`,
      `${((wallMs / vms) * 1000).toFixed(1)} ms`,
      Number.isNaN(bytes) ? '—' : `${(bytes / 1e6).toFixed(2)} MB`,
      Number.isNaN(decode) ? '—' : ms(decode),
      Number.isNaN(encode) ? '—' : ms(encode),
    ]);
    rows.push({
      setup,
      side,
      wallMs: Number(wallMs.toFixed(2)),
      cpuMs: Number(cpuMs.toFixed(2)),
      vms,
      bytes: Number.isNaN(bytes) ? null : bytes,
      encodeMs: Number.isNaN(encode) ? null : Number(encode.toFixed(2)),
    });
  }
  return { table, rows };
}

const HEADER = [
  'side',
  'wall time',
  'vs floor',
  'CPU of this process (vs floor)',
  'per 1,000 VMs',
  'answer size',
  "client's decode (not in wall time)",
  'JSON.stringify of the answer alone (not in wall time)',
];

/** The two sides every set-up has, over INSTANCES `kind` instances × VMS VMs. */
function floorAndServer(kind) {
  const vms = INSTANCES * VMS;
  return [
    {
      side: 'floor',
      label: `floor: ${INSTANCES} ${kind} sessions' describe({ids}), concurrently, in-process`,
      vms,
    },
    { side: 'server', label: `server: GET /api/vms, ${INSTANCES} ${kind} instances × ${VMS} VMs`, vms },
  ];
}

/** 20 local instances × 500 VMs and 1 × 500: the server's own overhead over an in-memory describe. */
async function measureLocal(root, dispatcher) {
  const servers = [];
  try {
    const setupStarted = performance.now();
    const wide = await startLoaded(root, 'local-wide', localInstances(INSTANCES), dispatcher);
    servers.push(wide.running);
    const one = await startLoaded(root, 'local-one', localInstances(1), dispatcher);
    servers.push(one.running);
    const setupMs = performance.now() - setupStarted;

    // The floor: sessions on the very instances the server loaded, with the user's credentials.
    const { registry } = wide.running.booted;
    const ids = await idsByInstance(wide, dispatcher);
    const sessions = await Promise.all(
      wide.instances.map(async ({ name }) => ({
        session: await registry.instance(name).session(ACCOUNT),
        ids: ids.get(name),
      })),
    );
    const total = INSTANCES * VMS;
    const samples = await interleave({
      floor: floorOf(sessions, total),
      server: () => timeList(wide, total, dispatcher),
      'server-one-instance': () => timeList(one, VMS, dispatcher),
    });
    await Promise.all(sessions.map(({ session }) => session.close?.()));
    return {
      setupMs,
      ...summarise('local', samples, [
        ...floorAndServer('local'),
        {
          side: 'server-one-instance',
          label: `server: GET /api/vms, 1 local instance × ${VMS} VMs`,
          vms: VMS,
        },
      ]),
    };
  } finally {
    for (const running of servers) await running.close();
  }
}

/** 20 CloudStack instances × 500 VMs, each on its own simulator: the target. */
async function measureCloudStack(root, dispatcher) {
  const setupStarted = performance.now();
  const { fleet, stop } = await startCloudStackFleet(INSTANCES);
  let loaded;
  const instances = [];
  try {
    loaded = await startLoaded(root, 'cloudstack', cloudStackInstances(fleet), dispatcher, { zone: true });
    const setupMs = performance.now() - setupStarted;

    // The floor: the connector's own sessions in this process, with the server's parameters and the
    // user's credentials, on the same simulators.
    const ids = await idsByInstance(loaded, dispatcher);
    const sessions = [];
    for (const { name, parameters, credentials } of loaded.instances) {
      const instance = await core.createInstance(cloudstack, { instance: name, parameters });
      instances.push(instance);
      sessions.push({ session: await instance.session(credentials), ids: ids.get(name) });
    }
    const total = INSTANCES * VMS;
    const samples = await interleave(
      { floor: floorOf(sessions, total), server: () => timeList(loaded, total, dispatcher) },
      { rounds: CLOUD_ROUNDS, warmup: CLOUD_WARMUP },
    );
    return {
      setupMs,
      ...summarise('cloudstack', samples, floorAndServer('CloudStack')),
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await loaded?.running.close();
    stop();
  }
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'slipstream-bench-vms-'));
  const dispatcher = new Agent();
  try {
    const local = await measureLocal(root, dispatcher);
    const cloud = await measureCloudStack(root, dispatcher);
    const title = `One user's VMs, ${INSTANCES} instances × ${VMS} running VMs (local, then CloudStack simulators); median of ${ROUNDS} interleaved rounds (${WARMUP} warm-up) for local, ${CLOUD_ROUNDS} (${CLOUD_WARMUP} warm-up) for CloudStack, Node ${process.version}`;
    console.log(title);
    console.log(
      `set-up (not measured): local ${(local.setupMs / 1000).toFixed(1)} s, CloudStack ${(cloud.setupMs / 1000).toFixed(1)} s (fleet start and ${INSTANCES * VMS} launches through the API)`,
    );
    printTable(HEADER, [...local.table, ...cloud.table]);
    record('server-vms', {
      title,
      rounds: { local: ROUNDS, cloudstack: CLOUD_ROUNDS },
      warmup: { local: WARMUP, cloudstack: CLOUD_WARMUP },
      setupMs: { local: Math.round(local.setupMs), cloudstack: Math.round(cloud.setupMs) },
      rows: [...local.rows, ...cloud.rows],
    });
  } finally {
    await dispatcher.close();
    rmSync(root, { recursive: true, force: true });
  }
}
