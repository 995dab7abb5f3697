// Each connector's describe() against Apache Libcloud's list_nodes (Debian's python3-libcloud,
// 3.4.1 on Debian 12) and against the raw floor, in one run on the same simulators: 10 CloudStack,
// OpenStack and EC2 clouds listed at once. Three sides, interleaved round by round (the order
// cycles through all six permutations, so that no side always runs on a warmer machine):
// - floor: the describe benches' own raw floor (the connector's requests made directly with undici,
//   bodies parsed, nothing mapped), exported from bench/<cloud>-describe.bench.js;
// - connector: describe() of every instance at once, as a busy server does; CPU is this process's
//   (process.cpuUsage), the simulators running in a child process (bench/fleet.js);
// - libcloud: list_nodes() of every cloud at once, one thread per cloud (a ThreadPoolExecutor, as a
//   user's thread pool), in a persistent Python worker (bench/libcloud-worker.py) started once,
//   drivers built once per cloud and reused across rounds, so that neither the interpreter's
//   start-up, nor the imports, nor a new connection or token each round are counted. Its wall time
//   and CPU time (time.process_time(), every thread) are measured in the worker around the
//   listing; the round trip from this process is reported beside them.
// Equal-work rows are those where libcloud returns every VM; in the large rows it does not (its
// CloudStack list_nodes reads only the first page, its OpenStack list_nodes only Nova's first
// page), and the VM counts say so.
import { Agent } from 'undici';
import { floorDescribe as awsFloor } from './aws-describe.bench.js';
import { floorDescribe as cloudstackFloor } from './cloudstack-describe.bench.js';
import { collectGarbage, startFleet } from './describe-harness.js';
import { pythonWithLibcloud, startWorker } from './libcloud.js';
import { floorDescribe as openstackFloor, token as openstackToken } from './openstack-describe.bench.js';
import { record } from './results.js';

// Fewer rounds than the other benches by default: a round lists 75,000 VMs three times over, and
// EC2's XML alone takes seconds a side; the whole bench stays within about four minutes.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 1;
const SIDES = ['floor', 'connector', 'libcloud'];
// Which side goes first, second and third: every order in turn.
const ORDERS = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 2, 0],
  [0, 2, 1],
  [2, 0, 1],
  [1, 0, 2],
].map((order) => order.map((index) => SIDES[index]));

const ROWS = [
  // libcloud's CloudStack list_nodes sends no page or pagesize: it gets the first page only
  // (default.page.size, 500), so 500 VMs per cloud is equal work and 1,000 is not.
  { cloud: 'cloudstack', clouds: 10, vmsPerCloud: 500 },
  { cloud: 'cloudstack', clouds: 10, vmsPerCloud: 1000 },
  // Its OpenStack list_nodes sends one GET /servers/detail and follows no next link: Nova's
  // osapi_max_limit (1,000, the default, in the fleet too) servers at most per cloud.
  { cloud: 'openstack', clouds: 10, vmsPerCloud: 1000 },
  { cloud: 'openstack', clouds: 10, vmsPerCloud: 2000 },
  // Its EC2 list_nodes sends DescribeInstances without MaxResults, which EC2 answers with every
  // instance (then DescribeAddresses for Elastic IPs): complete.
  { cloud: 'ec2', clouds: 10, vmsPerCloud: 1000 },
];

const LABELS = { cloudstack: 'CloudStack', openstack: 'OpenStack', ec2: 'EC2' };

const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const connector = async (name) =>
  (await import(new URL(`../packages/connector-${name}/dist/index.js`, import.meta.url).href)).default;
const PLUGINS = {
  cloudstack: await connector('cloudstack'),
  openstack: await connector('openstack'),
  ec2: await connector('aws'),
};

/** The connector's sessions over the fleet, logged in before the rounds. */
async function openSessions(cloud, fleet) {
  const plugin = PLUGINS[cloud];
  const instances = await Promise.all(
    fleet.map((entry, index) => {
      const parameters =
        cloud === 'cloudstack'
          ? { endpoint: `${entry.url}/client/api` }
          : cloud === 'openstack'
            ? { endpoint: entry.authUrl }
            : { region: entry.region, endpoint: entry.url };
      return core.createInstance(plugin, { instance: `${cloud}${index}`, parameters });
    }),
  );
  const sessions = await Promise.all(
    instances.map((instance, index) => {
      const entry = fleet[index];
      if (cloud !== 'openstack') return instance.session({ key: entry.key, secret: entry.secret });
      const { username, password, project, domain } = entry.user;
      return instance.session({ username, password, project, domain });
    }),
  );
  await Promise.all(sessions.map((session) => session.checkCredentials()));
  return { sessions, close: () => Promise.all(instances.map((instance) => instance.close())) };
}

/** The floor's listing of the whole fleet (OpenStack: with a token got beforehand). */
async function floorOf(cloud, fleet, agent) {
  if (cloud === 'cloudstack') return () => Promise.all(fleet.map((entry) => cloudstackFloor(agent, entry)));
  if (cloud === 'ec2') return () => Promise.all(fleet.map((entry) => awsFloor(agent, entry)));
  const accesses = await Promise.all(fleet.map((entry) => openstackToken(agent, entry)));
  return () => Promise.all(accesses.map((access) => openstackFloor(agent, access)));
}

/** Wall time and this process's CPU time of one listing in this process. */
async function measureHere(fn) {
  collectGarbage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const lists = await fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const vms = lists.reduce((sum, list) => sum + list.length, 0);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, vms };
}

/** libcloud's own figures from the worker, and the round trip seen from here. */
async function measureLibcloud(worker) {
  const started = performance.now();
  const answer = await worker.ask({ cmd: 'list' });
  const roundTripMs = performance.now() - started;
  const vms = answer.vms.reduce((sum, count) => sum + count, 0);
  return { wallMs: answer.wallMs, cpuMs: answer.cpuMs, vms, roundTripMs, retries: answer.retries };
}

/** libcloud's version, as the worker reports it. */
let libcloudVersion;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One row: a fleet, the three sides interleaved, medians. */
async function measureRow(row, worker) {
  const { cloud, clouds, vmsPerCloud } = row;
  const expected = clouds * vmsPerCloud;
  const { fleet, stop } = await startFleet(cloud, clouds, vmsPerCloud);
  const agent = new Agent();
  let opened;
  try {
    opened = await openSessions(cloud, fleet);
    const measures = {
      floor: await floorOf(cloud, fleet, agent).then((fn) => () => measureHere(fn)),
      connector: () => measureHere(() => Promise.all(opened.sessions.map((session) => session.describe()))),
      libcloud: worker ? () => measureLibcloud(worker) : undefined,
    };
    if (worker) libcloudVersion = (await worker.ask({ cmd: 'setup', cloud, fleet })).version;
    const samples = { floor: [], connector: [], libcloud: [] };
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      for (const side of ORDERS[round % ORDERS.length]) {
        if (!measures[side]) continue;
        const sample = await measures[side]();
        if (side !== 'libcloud' && sample.vms !== expected) {
          throw new Error(`${side}: expected ${expected} VMs, got ${sample.vms}`);
        }
        if (round >= WARMUP) samples[side].push(sample);
      }
    }
    return SIDES.filter((side) => samples[side].length > 0).map((side) => {
      const taken = samples[side];
      const result = {
        cloud,
        clouds,
        vmsPerCloud,
        side,
        wallMs: round1(median(taken.map((s) => s.wallMs))),
        cpuMs: round1(median(taken.map((s) => s.cpuMs))),
        vms: Math.min(...taken.map((s) => s.vms)),
      };
      if (side === 'libcloud') {
        result.roundTripMs = round1(median(taken.map((s) => s.roundTripMs)));
        // Listings listed again after the simulator closed an idle keep-alive connection under them.
        result.retries = taken.reduce((sum, s) => sum + s.retries, 0);
      }
      return result;
    });
  } finally {
    await opened?.close();
    await agent.close();
    stop();
  }
}

const round1 = (value) => Math.round(value * 10) / 10;
const count = (value) => value.toLocaleString('en-US');

function printTable(rows) {
  console.log(
    '| cloud | clouds × VMs | side | VMs returned | wall time | vs floor | client CPU | vs floor |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const floor = rows.find(
      (other) => other.cloud === row.cloud && other.vmsPerCloud === row.vmsPerCloud && other.side === 'floor',
    );
    const label =
      row.side === 'floor'
        ? 'raw floor'
        : row.side === 'connector'
          ? 'connector describe()'
          : `libcloud list_nodes (round trip ${row.roundTripMs.toFixed(1)} ms${row.retries ? `; ${row.retries} retried after a reset` : ''})`;
    console.log(
      `| ${LABELS[row.cloud]} | ${row.clouds} × ${count(row.vmsPerCloud)} | ${label} | ${count(row.vms)} of ${count(row.clouds * row.vmsPerCloud)} | ${row.wallMs.toFixed(1)} ms | ×${(row.wallMs / floor.wallMs).toFixed(2)} | ${row.cpuMs.toFixed(1)} ms | ×${(row.cpuMs / floor.cpuMs).toFixed(2)} |`,
    );
  }
}

export async function run() {
  const started = performance.now();
  let worker;
  try {
    const python = await pythonWithLibcloud();
    worker = startWorker(python);
  } catch (error) {
    console.log(`libcloud rows skipped: ${error.message}`);
  }
  const rows = [];
  try {
    for (const row of ROWS) {
      const measured = await measureRow(row, worker);
      rows.push(...measured);
      printTable(measured);
    }
  } finally {
    await worker?.stop();
  }
  const title = `describe() against Apache Libcloud ${libcloudVersion ?? '(not run)'} list_nodes and the raw floor, 10 clouds at once; median of ${ROUNDS} rounds (${WARMUP} warm-up)`;
  console.log(`\n${title}`);
  console.log(
    'Wall and CPU of the floor and the connector: this Node process; of libcloud: its Python worker (time.process_time(), every thread), the round trip from Node beside it.',
  );
  printTable(rows);
  console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  record('libcloud-compare', { title, libcloud: libcloudVersion, rounds: ROUNDS, warmup: WARMUP, rows });
}
