// Two figures of the server under attack or trouble, each against its quiet baseline in the same run:
// - a real user's login latency alone, and while a burst of 100 bogus parallel logins for the same
//   user arrives from one other address, and from 100 other addresses (a fresh set each round, so
//   that no lockout makes later bursts cheap);
// - GET /api/vms over 10 instances, all healthy, and with one of them a cloud that never answers
//   (the listing deadline, SLIPSTREAM_LIST_TIMEOUT_MS, set to 2 s here).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import {
  call,
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

const ADMIN_PASSWORD = 'bench-admin-password';
const USER = { name: 'bench', password: 'bench-user-password' };
const ACCOUNT = { key: 'bench', secret: 'bench-secret' };
const BURST = 100;
const HEALTHY = 9;
const VMS = 10; // per healthy instance
const LIST_TIMEOUT_MS = 2000;

const server = await import(new URL('dist/index.js', SERVER_DIR).href);

/** An HTTP server that takes requests and never answers them. */
async function startHangingCloud() {
  const sockets = new Set();
  const hung = createServer(() => {});
  hung.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => hung.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${hung.address().port}/client/api`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    },
  };
}

async function start(root, name, instances, env = {}) {
  const home = join(root, name);
  const settings = server.readServerSettings({
    env: {
      SLIPSTREAM_HOME: home,
      HOST: '127.0.0.1',
      PORT: '0',
      SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SLIPSTREAM_LOG_LEVEL: 'silent',
      ...env,
    },
    argv: [],
    cwd: root,
  });
  const initial = {
    basics: {
      connectors: Object.entries(instances)
        .map(([instance, { connector }]) => `${instance}:${connector}`)
        .join(','),
    },
    instances: Object.fromEntries(
      Object.entries(instances).map(([instance, { parameters }]) => [instance, parameters]),
    ),
  };
  const running = await server.startServer({
    settings: { ...settings, initial },
    from: SERVER_DIR,
    logger: server.createServerLogger({ level: 'silent' }),
    env: {},
  });
  const dispatcher = new Agent();
  const admin = await loginAs(running.url, 'admin', ADMIN_PASSWORD, dispatcher);
  await expectCall(running.url, 'POST', '/api/users', 201, {
    headers: admin,
    body: { name: USER.name, role: 'user', password: USER.password },
    dispatcher,
  });
  const user = await loginAs(running.url, USER.name, USER.password, dispatcher);
  return { running, user, dispatcher };
}

async function loginAs(url, username, password, dispatcher) {
  const { headers, json } = await expectCall(url, 'POST', '/api/login', 200, {
    body: { name: username, password },
    dispatcher,
  });
  return { cookie: String(headers['set-cookie']).split(';')[0], 'x-csrf-token': json.csrfToken };
}

async function loginFigures(root) {
  const local = { connector: 'local', parameters: { accounts: `${ACCOUNT.key}:${ACCOUNT.secret}` } };
  const { running, dispatcher } = await start(root, 'logins', { local });
  const url = running.url;
  const agents = [];
  const from = (address) => {
    // undici's connect options do not pass localAddress on: the socket is made here.
    const agent = new Agent({
      connect: (options, done) => {
        const socket = connect({ host: options.hostname, port: Number(options.port), localAddress: address });
        socket.once('connect', () => done(null, socket)).once('error', (error) => done(error, null));
      },
    });
    agents.push(agent);
    return agent;
  };
  let round = 0;
  const realLogin = async () => {
    const started = performance.now();
    await expectCall(url, 'POST', '/api/login', 200, {
      body: { name: USER.name, password: USER.password },
      dispatcher,
    });
    return performance.now() - started;
  };
  const bogus = (agent, i) =>
    call(url, 'POST', '/api/login', {
      body: { name: USER.name, password: `guess-${i}` },
      dispatcher: agent,
    });
  const during = async (addresses) => {
    round += 1;
    const burst = Array.from({ length: BURST }, (_, i) => bogus(addresses(round, i), i));
    const ms = await realLogin();
    const statuses = (await Promise.all(burst)).map((answer) => answer.status);
    if (statuses.some((status) => status !== 401 && status !== 429))
      throw new Error(`bogus logins answered ${statuses}`);
    return { ms, checked: statuses.filter((status) => status === 401).length };
  };
  try {
    const oneAddress = [];
    const samples = await interleave({
      alone: async () => ({ ms: await realLogin() }),
      oneAddress: () =>
        during((r) => {
          oneAddress[r] ??= from(`127.0.${r}.1`);
          return oneAddress[r];
        }),
      manyAddresses: () => {
        const agents100 = Array.from({ length: BURST }, (_, i) => from(`127.1.${round + 1}.${i + 1}`));
        return during((_r, i) => agents100[i]);
      },
    });
    const base = medianOf(samples, 'alone');
    console.log(
      `A real login (scrypt) alone and during ${BURST} bogus parallel logins for the same user; median of ${ROUNDS} interleaved rounds (${WARMUP} warm-up), Node ${process.version}`,
    );
    printTable(
      ['side', 'real login', 'vs alone', 'bogus logins that reached the password check'],
      [
        ['alone', ms(base), ratio(base, base), '—'],
        ...[
          ['burst from one other address', 'oneAddress'],
          [`burst from ${BURST} other addresses`, 'manyAddresses'],
        ].map(([label, side]) => [
          label,
          ms(medianOf(samples, side)),
          ratio(medianOf(samples, side), base),
          String(medianOf(samples, side, 'checked')),
        ]),
      ],
    );
  } finally {
    await running.close();
    await dispatcher.close();
    await Promise.all(agents.map((agent) => agent.close()));
  }
}

async function listingFigures(root) {
  const hanging = await startHangingCloud();
  const local = {
    connector: 'local',
    parameters: { accounts: `${ACCOUNT.key}:${ACCOUNT.secret}`, 'boot.delay.ms': 0, 'halt.delay.ms': 0 },
  };
  const healthy = Object.fromEntries(Array.from({ length: HEALTHY }, (_, i) => [`l${i + 1}`, local]));
  const env = { SLIPSTREAM_LIST_TIMEOUT_MS: String(LIST_TIMEOUT_MS) };
  const withHealthy = await start(root, 'healthy', { ...healthy, l10: local }, env);
  const withHanging = await start(
    root,
    'hanging',
    { ...healthy, stuck: { connector: 'cloudstack', parameters: { endpoint: hanging.url } } },
    env,
  );
  try {
    for (const { running, user, dispatcher } of [withHealthy, withHanging]) {
      for (const info of running.booted.registry.instances) {
        const body = info.connector === 'local' ? ACCOUNT : { key: 'k', secret: 's' };
        await expectCall(running.url, 'PUT', `/api/credentials/${info.name}`, 200, {
          headers: user,
          body,
          dispatcher,
        });
        if (info.connector !== 'local') continue;
        await expectCall(running.url, 'POST', `/api/clouds/${info.name}/vms`, 201, {
          headers: user,
          body: { name: 'vm', image: 'debian-12', size: 'small', count: VMS },
          dispatcher,
        });
      }
    }
    // A VM the server launched on the instance that hangs now (from before accounts were recorded).
    const owner = await withHanging.running.booted.store.getUserByName(USER.name);
    await withHanging.running.booted.store.createVmRecord({
      ownerId: owner.id,
      instance: 'stuck',
      idempotencyKey: 'before-it-hung',
      name: 'stuck-vm',
      request: { name: 'stuck-vm', image: 'x', size: 'y' },
      state: 'launched',
      cloudId: 'stuck-vm-id',
    });
    const list = async ({ running, user, dispatcher }, timeouts) => {
      const started = performance.now();
      const answer = await expectCall(running.url, 'GET', '/api/vms', 200, { headers: user, dispatcher });
      const elapsed = performance.now() - started;
      const described = answer.json.vms.filter((vm) => vm.vm !== undefined).length;
      const timedOut = answer.json.errors.filter((error) => error.code === 'TIMEOUT').length;
      if (described !== HEALTHY * VMS + (timeouts === 0 ? VMS : 0) || timedOut !== timeouts) {
        throw new Error(
          `unexpected listing: ${described} described, errors ${JSON.stringify(answer.json.errors)}`,
        );
      }
      return { ms: elapsed };
    };
    const samples = await interleave({
      healthy: () => list(withHealthy, 0),
      hanging: () => list(withHanging, 1),
    });
    const base = medianOf(samples, 'healthy');
    const hung = medianOf(samples, 'hanging');
    console.log(
      `\nGET /api/vms over 10 instances (${HEALTHY} × ${VMS} VMs on healthy local instances), listing deadline ${LIST_TIMEOUT_MS} ms; median of ${ROUNDS} interleaved rounds (${WARMUP} warm-up)`,
    );
    printTable(
      ['side', 'wall time', 'vs all healthy', 'answer'],
      [
        ['10 healthy instances', ms(base), ratio(base, base), `${10 * VMS} VMs, no error`],
        [
          '9 healthy + 1 that never answers',
          ms(hung),
          ratio(hung, base),
          `${HEALTHY * VMS} VMs described, 1 TIMEOUT`,
        ],
      ],
    );
  } finally {
    for (const { running, dispatcher } of [withHealthy, withHanging]) {
      await running.close();
      await dispatcher.close();
    }
    await hanging.close();
  }
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'slipstream-bench-faults-'));
  try {
    await loginFigures(root);
    await listingFigures(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
