// describe() of every VM of 10 CloudStack instances × 1,000 VMs each, all instances at once, through
// the connector, against the raw floor: the same HTTP requests (same signed listVirtualMachines
// pages, one after another per cloud) made directly with undici, bodies JSON.parsed, nothing
// mapped. Both run in this process, interleaved round by round; the simulators run in a child
// process so that their work is not charged to either side.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = 3;
const CLOUDS = 10;
const VMS = 1000;
const PAGE_SIZE = 500; // the connector's default `page.size`

const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const cloudstack = (
  await import(new URL('../packages/connector-cloudstack/dist/index.js', import.meta.url).href)
).default;

async function startFleet() {
  const child = spawn(
    process.execPath,
    [
      new URL('cloudstack-fleet.js', import.meta.url).pathname,
      '--clouds',
      String(CLOUDS),
      '--vms',
      String(VMS),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  return { fleet: JSON.parse(line), stop: () => child.stdin.end() };
}

// --- the floor: sign, send, parse ---------------------------------------------------------------

const encode = (value) =>
  encodeURIComponent(value).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signedQuery(cloud, params) {
  const all = { ...params, response: 'json', apikey: cloud.key, signatureversion: '3' };
  all.expires = `${new Date(Date.now() + 600_000).toISOString().slice(0, 19)}+0000`;
  const pairs = Object.keys(all)
    .sort()
    .map((name) => `${name}=${encode(all[name])}`);
  const signature = createHmac('sha1', cloud.secret).update(pairs.join('&').toLowerCase()).digest('base64');
  return `${pairs.join('&')}&signature=${encode(signature)}`;
}

async function floorDescribe(agent, cloud) {
  const vms = [];
  for (let page = 1; ; page += 1) {
    const query = signedQuery(cloud, {
      command: 'listVirtualMachines',
      page: String(page),
      pagesize: String(PAGE_SIZE),
    });
    const { statusCode, body } = await request(`${cloud.url}/client/api?${query}`, { dispatcher: agent });
    const parsed = JSON.parse(await body.text());
    if (statusCode !== 200) throw new Error(`floor: ${statusCode} ${JSON.stringify(parsed)}`);
    const { count = 0, virtualmachine = [] } = parsed.listvirtualmachinesresponse;
    vms.push(...virtualmachine);
    if (virtualmachine.length === 0 || vms.length >= count) return vms;
  }
}

// --- measurement --------------------------------------------------------------------------------

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(fn) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const total = results.reduce((sum, list) => sum + list.length, 0);
  if (total !== CLOUDS * VMS) throw new Error(`expected ${CLOUDS * VMS} VMs, got ${total}`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export async function run() {
  const { fleet, stop } = await startFleet();
  const agent = new Agent();
  const instances = await Promise.all(
    fleet.map((cloud, index) =>
      core.createInstance(cloudstack, {
        instance: `cs${index}`,
        parameters: { endpoint: `${cloud.url}/client/api` },
      }),
    ),
  );
  const sessions = await Promise.all(
    instances.map((instance, index) =>
      instance.session({ key: fleet[index].key, secret: fleet[index].secret }),
    ),
  );
  const sides = {
    floor: () => Promise.all(fleet.map((cloud) => floorDescribe(agent, cloud))),
    connector: () => Promise.all(sessions.map((session) => session.describe())),
  };
  const samples = { floor: [], connector: [] };
  try {
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      // Alternate which side goes first, so that neither always runs on a warmer machine.
      const order = round % 2 === 0 ? ['floor', 'connector'] : ['connector', 'floor'];
      for (const side of order) {
        const sample = await measure(sides[side]);
        if (round >= WARMUP) samples[side].push(sample);
      }
    }
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await agent.close();
    stop();
  }
  const wall = (side) => median(samples[side].map((s) => s.wallMs));
  const cpu = (side) => median(samples[side].map((s) => s.cpuMs));
  const row = (label, side) =>
    `| ${label} | ${wall(side).toFixed(1)} ms | ×${(wall(side) / wall('floor')).toFixed(2)} | ${cpu(side).toFixed(1)} ms | ×${(cpu(side) / cpu('floor')).toFixed(2)} |`;
  console.log(
    `describe() of ${CLOUDS} instances × ${VMS} VMs, concurrently; median of ${ROUNDS} rounds (${WARMUP} warm-up)`,
  );
  console.log('| side | wall time | vs floor | client CPU | vs floor |');
  console.log('|---|---|---|---|---|');
  console.log(row('raw floor (undici + JSON.parse)', 'floor'));
  console.log(row('connector describe()', 'connector'));
}
