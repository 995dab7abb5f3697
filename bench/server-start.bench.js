// Cold start of `slipstream-server` (a fresh Node process, spawn until /api/health answers 200 with
// every instance) with 100 configured connector instances, against the same server with none.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const INSTANCES = 100;
const CLI = fileURLToPath(new URL('dist/cli.js', SERVER_DIR));
const LISTENING = /SlipStream server listening on (http:\/\/\S+)/;
const ADMIN_PASSWORD = 'bench-admin-password';

/**
 * The connectors the server package resolves (its dependencies and dev dependencies; exoscale and
 * otc are not installed next to it), each with its required parameters. Endpoints point at `sink`,
 * a port that counts connections: none may arrive, because a boot must not call any cloud.
 */
function instanceConfig(sink) {
  const kinds = [
    ['local', () => ({ accounts: 'bench:bench-secret', 'boot.delay.ms': 0 })],
    ['cloudstack', (n) => ({ endpoint: `${sink}/cs${n}/client/api`, zone: 'zone-1' })],
    ['openstack', (n) => ({ endpoint: `${sink}/os${n}/v3`, 'service.region': 'RegionOne' })],
  ];
  const entries = [];
  const instances = {};
  for (let n = 1; n <= INSTANCES; n += 1) {
    const [connector, parameters] = kinds[n % kinds.length];
    const name = `${connector}-${n}`;
    entries.push(`${name}:${connector}`);
    instances[name] = { ...parameters(n), 'quota.vm': 100 };
  }
  return { basics: { connectors: entries.join(',') }, instances };
}

/** A port on 127.0.0.1 that accepts and counts connections, closing each at once. */
async function connectionSink() {
  const sink = { connections: 0 };
  const listener = createServer((socket) => {
    sink.connections += 1;
    socket.destroy();
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address();
  sink.url = `http://127.0.0.1:${port}`;
  // The sink's own check: a connection to it is counted (and the count then starts from zero).
  const probe = connect(port, '127.0.0.1');
  await once(probe, 'close');
  if (sink.connections !== 1) throw new Error('the connection sink did not count a connection');
  sink.connections = 0;
  sink.close = () => new Promise((resolve) => listener.close(resolve));
  return sink;
}

/**
 * Spawns the server and times it until /api/health says `ok` with `expected` instances;
 * `listeningMs` is when the banner came. The server is then stopped (not timed) and must exit 0.
 * `first` says whether the home is empty (a first start) or seeded (a restart); the banner must agree.
 */
async function timeStart(env, expected, first) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    err += chunk;
  });
  const exited = once(child, 'exit');
  const url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const match = LISTENING.exec(out);
      if (match) resolve(match[1]);
    });
    exited.then(([code]) =>
      reject(new Error(`the server exited (${code}) before listening:\n${out}\n${err}`)),
    );
  });
  const listeningMs = performance.now() - started;
  const { json: health } = await expectCall(url, 'GET', '/api/health', 200);
  const healthMs = performance.now() - started;
  child.kill('SIGTERM');
  const [code] = await exited;
  if (out.includes('First start:') !== first) {
    throw new Error(`expected a ${first ? 'first start' : 'restart'}, the server printed:\n${out}`);
  }
  if (health.status !== 'ok' || health.instances.length !== expected || health.problems.length > 0) {
    throw new Error(
      `expected ${expected} instances and no problem, got ${JSON.stringify(health).slice(0, 800)}`,
    );
  }
  // At `warn`, any log line on stdout is a warning or an error the bench must not hide.
  const logged = out.split('\n').filter((line) => line.startsWith('{'));
  if (code !== 0 || err !== '' || logged.length > 0) {
    throw new Error(`the server exited with ${code}:\n${logged.join('\n')}\n${err}`);
  }
  return { ms: healthMs, listeningMs };
}

/** Spawns a bare Node that does nothing: the floor under any start. */
async function timeBareNode() {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`bare node exited with ${code}`);
  return { ms: performance.now() - started, listeningMs: Number.NaN };
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'slipstream-bench-start-'));
  const sink = await connectionSink();
  try {
    const configFile = join(root, 'config.json');
    writeFileSync(configFile, JSON.stringify(instanceConfig(sink.url)));
    const common = { PORT: '0', SLIPSTREAM_LOG_LEVEL: 'warn', SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD };
    const cases = {
      none: { env: { ...common, SLIPSTREAM_CONNECTORS: '' }, expected: 0 },
      hundred: { env: { ...common, SLIPSTREAM_CONFIG: configFile }, expected: INSTANCES },
    };
    // Each case's home is made by one first start; the measured restarts find it seeded.
    for (const [name, { env }] of Object.entries(cases)) {
      env.SLIPSTREAM_HOME = join(root, name);
      mkdirSync(env.SLIPSTREAM_HOME);
    }
    /** A first start: a new, empty home each time (store created, config seeded, admin password hashed). */
    const firstStart = ({ env, expected }) => {
      const home = mkdtempSync(join(root, 'first-'));
      return timeStart({ ...env, SLIPSTREAM_HOME: home }, expected, true).finally(() =>
        rmSync(home, { recursive: true, force: true }),
      );
    };
    await timeStart(cases.none.env, 0, true);
    await timeStart(cases.hundred.env, INSTANCES, true);

    const samples = await interleave({
      bare: timeBareNode,
      none: () => timeStart(cases.none.env, 0, false),
      hundred: () => timeStart(cases.hundred.env, INSTANCES, false),
      noneFirst: () => firstStart(cases.none),
      hundredFirst: () => firstStart(cases.hundred),
    });
    if (sink.connections !== 0) {
      throw new Error(`the servers opened ${sink.connections} connections to the clouds' endpoints at boot`);
    }

    const base = medianOf(samples, 'none');
    const row = (label, side) => [
      label,
      side === 'bare' ? '—' : ms(medianOf(samples, side, 'listeningMs')),
      ms(medianOf(samples, side)),
      ratio(medianOf(samples, side), base),
    ];
    console.log(
      `Spawn of packages/server/dist/cli.js until GET /api/health answers; median of ${ROUNDS} interleaved rounds (${WARMUP} warm-up), Node ${process.version}`,
    );
    printTable(
      ['side', 'banner printed', 'health 200', 'vs no instance'],
      [
        row('bare `node -e ""` (to exit)', 'bare'),
        row('restart, no instance (SLIPSTREAM_CONNECTORS="")', 'none'),
        row(`restart, ${INSTANCES} instances (local, cloudstack, openstack)`, 'hundred'),
        row('first start, no instance', 'noneFirst'),
        row(`first start, ${INSTANCES} instances`, 'hundredFirst'),
      ],
    );
    const perInstance = (medianOf(samples, 'hundred') - base) / INSTANCES;
    console.log(
      `Per instance at restart: ${perInstance.toFixed(2)} ms ((${INSTANCES} instances − none) / ${INSTANCES}); connections to the clouds' endpoints during all starts: ${sink.connections}`,
    );
  } finally {
    await sink.close();
    rmSync(root, { recursive: true, force: true });
  }
}
