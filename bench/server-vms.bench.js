// GET /api/vms over HTTP for one user with 20 local instances × 500 VMs, against the floor (the same
// instances' sessions' describe() called directly and concurrently) and the server with 1 × 500.
// The server's time runs until the answer's last byte arrived; the client's decoding of it is shown apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
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

const server = await import(new URL('dist/index.js', SERVER_DIR).href);

/**
 * A server in a new home under `root` with `count` local instances (no boot or halt delay, quotas
 * above VMS), a user `bench` with credentials on each, and VMS VMs launched per instance through
 * the API. Resolves with the server, the user's bearer token and the instances' names.
 */
async function startLoaded(root, count, dispatcher) {
  const home = join(root, `home-${count}`);
  const settings = server.readServerSettings({
    env: {
      SLIPSTREAM_HOME: home,
      HOST: '127.0.0.1',
      PORT: '0',
      SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SLIPSTREAM_LOG_LEVEL: 'warn',
    },
    argv: [],
    cwd: root,
  });
  const names = Array.from({ length: count }, (_, i) => `l${i + 1}`);
  const parameters = {
    accounts: `${ACCOUNT.key}:${ACCOUNT.secret}`,
    'boot.delay.ms': 0,
    'halt.delay.ms': 0,
    'account.vm.limit': 2 * VMS,
    'quota.vm': 2 * VMS,
  };
  const initial = {
    basics: { connectors: names.map((name) => `${name}:local`).join(',') },
    instances: Object.fromEntries(names.map((name) => [name, parameters])),
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
      names.map(async (name) => {
        const options = { headers: auth, dispatcher };
        await expectCall(url, 'PUT', `/api/credentials/${name}`, 200, { ...options, body: ACCOUNT });
        const { json: images } = await expectCall(url, 'GET', `/api/clouds/${name}/images`, 200, options);
        const { json: sizes } = await expectCall(url, 'GET', `/api/clouds/${name}/sizes`, 200, options);
        for (let batch = 1; batch <= VMS / BATCH; batch += 1) {
          await expectCall(url, 'POST', `/api/clouds/${name}/vms`, 201, {
            ...options,
            body: {
              name: `bench-${batch}`,
              image: images.images[0].id,
              size: sizes.sizes[0].id,
              count: BATCH,
              idempotencyKey: `bench-${name}-${batch}`,
            },
          });
        }
      }),
    );
    return { running, auth, names };
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
  const started = performance.now();
  const response = await request(`${loaded.running.url}/api/vms`, { headers: loaded.auth, dispatcher });
  const chunks = [];
  for await (const chunk of response.body) chunks.push(chunk);
  const received = performance.now();
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
  return { ms: received - started, decode: decoded - received, bytes: body.length };
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'slipstream-bench-vms-'));
  const dispatcher = new Agent();
  const servers = [];
  try {
    const wide = await startLoaded(root, INSTANCES, dispatcher);
    servers.push(wide.running);
    const one = await startLoaded(root, 1, dispatcher);
    servers.push(one.running);

    // The floor: sessions on the very instances the server loaded, with the user's credentials,
    // asked for the same ids as the server asks for (its records' cloud ids).
    const { registry } = wide.running.booted;
    const { json: listed } = await expectCall(wide.running.url, 'GET', '/api/vms', 200, {
      headers: wide.auth,
      dispatcher,
    });
    const sessions = await Promise.all(
      wide.names.map(async (name) => ({
        session: await registry.instance(name).session(ACCOUNT),
        ids: listed.vms.filter((vm) => vm.instance === name).map((vm) => vm.cloudId),
      })),
    );
    const total = INSTANCES * VMS;
    const floor = async () => {
      const started = performance.now();
      const described = await Promise.all(sessions.map(({ session, ids }) => session.describe({ ids })));
      const elapsed = performance.now() - started;
      const count = described.reduce((sum, vms) => sum + vms.length, 0);
      if (count !== total) throw new Error(`floor: expected ${total} VMs, got ${count}`);
      return { ms: elapsed, decode: Number.NaN, bytes: Number.NaN };
    };

    const samples = await interleave({
      floor,
      wide: () => timeList(wide, total, dispatcher),
      one: () => timeList(one, VMS, dispatcher),
    });
    await Promise.all(sessions.map(({ session }) => session.close?.()));

    const base = medianOf(samples, 'floor');
    const row = (label, side, vms) => {
      const median = medianOf(samples, side);
      const bytes = medianOf(samples, side, 'bytes');
      const decode = medianOf(samples, side, 'decode');
      return [
        label,
        ms(median),
        ratio(median, base),
        `${((median / vms) * 1000).toFixed(1)} ms`,
        Number.isNaN(bytes) ? '—' : `${(bytes / 1e6).toFixed(2)} MB`,
        Number.isNaN(decode) ? '—' : ms(decode),
      ];
    };
    console.log(
      `One user's VMs, ${INSTANCES} local instances × ${VMS} running VMs; median of ${ROUNDS} interleaved rounds (${WARMUP} warm-up), Node ${process.version}`,
    );
    printTable(
      ['side', 'wall time', 'vs floor', 'per 1,000 VMs', 'answer size', "client's decode (not in wall time)"],
      [
        row(`floor: ${INSTANCES} sessions' describe({ids}), concurrently, in-process`, 'floor', total),
        row(`server: GET /api/vms, ${INSTANCES} instances × ${VMS} VMs`, 'wide', total),
        row(`server: GET /api/vms, 1 instance × ${VMS} VMs`, 'one', VMS),
      ],
    );
  } finally {
    for (const running of servers) await running.close();
    await dispatcher.close();
    rmSync(root, { recursive: true, force: true });
  }
}
