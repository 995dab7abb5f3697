// Latency-aware paging: describe() of one cloud's 5,000 VMs when every request takes 50 ms (the
// simulators' injected latency, as a distant cloud's round trip), through the connector (pages
// after the first asked together, at most max.iaas.workers at a time, 5 by default) against the
// sequential floor (the same pages requested with undici one after the other, each parsed, nothing
// mapped), for several page sizes.
//
// The headline is what the latency costs, in round trips: each side lists two fleets of the same
// VMs at the same page size, one answering after 50 ms and one at once, and
//   latency cost = (median wall with latency - median wall without) / 50 ms.
// The CPU of producing and parsing 5,000 VMs (the simulator in a child process, the client here)
// is in both walls and cancels out; on a small loaded machine it is worth tens of round trips by
// itself, so wall / 50 ms would say little about paging. Expected: the sequential floor about one
// round trip per page; the connector 1 + ceil((pages - 1) / workers) (the first page, then waves of
// at most `workers` pages). The connector's waves are not measured (the simulators run in a child
// process, their request log out of reach): the table prints the expected count.
//
// Both fleets start once per cloud; the four measurements (each side, each fleet) are interleaved
// round by round, their order reversed every other round, after one untimed warm-up round (the
// sessions' login and lookups). ROUNDS measured rounds, 3 by default (BENCH_ROUNDS overrides).
//
// The simulators grant pages of up to 5,000 here (CloudStack's default.page.size and vCloud's
// restapi.queryservice.maxPageSize raised, as an operator may; oned has no cap). A vCloud cell
// keeps 128 by default: the `vcloud (cell cap 128)` rows show that case (40 pages) at the
// connector's default page size, with the default 5 workers and with max.iaas.workers = 20.
import { Agent } from 'undici';
import { floorDescribe as cloudstackFloor } from './cloudstack-describe.bench.js';
import { startFleet } from './describe-harness.js';
import { floorDescribe as opennebulaFloor } from './opennebula-describe.bench.js';
import { record } from './results.js';
import { floorDescribe as vcloudFloor, floorSession as vcloudFloorSession } from './vcloud-describe.bench.js';

const VMS = 5000;
const LATENCY_MS = 50;
const WORKERS = 5;
// 5, 10 and 20 pages; one page would leave nothing to ask together.
const PAGE_SIZES = [1000, 500, 250];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 1;

const dist = (name) => new URL(`../packages/${name}/dist/index.js`, import.meta.url).href;
const core = await import(dist('connector-core'));
const cloudstack = await import(dist('connector-cloudstack'));
const opennebula = await import(dist('connector-opennebula'));
const vcloud = await import(dist('connector-vcloud'));

/**
 * Per cloud: how to start its simulator, an instance of the connector asking `pageSize` per page
 * with `workers` requests at a time, its credentials, and the floor. `floorFor` may open a session
 * first (vCloud's login).
 */
const CLOUDS = {
  cloudstack: {
    maxPageSize: 5000,
    instance: (cloud, pageSize, workers) =>
      core.createInstance(cloudstack.default, {
        instance: `cs-${pageSize}`,
        parameters: {
          endpoint: `${cloud.url}/client/api`,
          'page.size': pageSize,
          'max.iaas.workers': workers,
        },
      }),
    credentials: (cloud) => ({ key: cloud.key, secret: cloud.secret }),
    floorFor: async (agent, cloud) => (pageSize) => cloudstackFloor(agent, cloud, pageSize),
  },
  opennebula: {
    instance: (cloud, pageSize, workers) =>
      core.createInstance(opennebula.createOpenNebulaConnector({ pageSize }), {
        instance: `one-${pageSize}`,
        parameters: { endpoint: cloud.rpcUrl, 'max.iaas.workers': workers },
      }),
    credentials: (cloud) => ({ username: cloud.key, password: cloud.secret }),
    floorFor: async (agent, cloud) => (pageSize) => opennebulaFloor(agent, cloud, pageSize),
  },
  vcloud: {
    maxPageSize: 5000,
    instance: (cloud, pageSize, workers) =>
      core.createInstance(vcloud.createVcloudConnector({ pageSize }), {
        instance: `vcd-${pageSize}`,
        parameters: { endpoint: cloud.endpoint, org: cloud.org, vdc: cloud.vdc, 'max.iaas.workers': workers },
      }),
    credentials: (cloud) => ({ username: cloud.key, password: cloud.secret }),
    floorFor: async (agent, cloud) => {
      const session = await vcloudFloorSession(agent, cloud);
      return (pageSize) => vcloudFloor(agent, session, pageSize);
    },
  },
};

/**
 * The runs, one pair of fleets each: each cloud at each page size; vCloud once more at a cell's
 * default cap of 128, where the connector's default page size (1000) is granted as 128 (40 pages),
 * with the default workers and with 20 (1 + 2 waves).
 */
const RUNS = [
  ...Object.keys(CLOUDS).map((cloud) => ({
    cloud,
    cases: PAGE_SIZES.map((pageSize) => ({ pageSize, workers: WORKERS })),
  })),
  {
    cloud: 'vcloud',
    label: 'vcloud (cell cap 128)',
    maxPageSize: 128,
    granted: 128,
    cases: [
      { pageSize: 1000, workers: WORKERS },
      { pageSize: 1000, workers: 20 },
    ],
  },
];

const SIDES = ['sequential floor', 'connector'];
const FLEETS = ['latency', 'none'];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const tenth = (value) => Math.round(value * 10) / 10;

async function wallOf(fn) {
  const started = performance.now();
  const vms = await fn();
  const wallMs = performance.now() - started;
  if (vms.length !== VMS) throw new Error(`expected ${VMS} VMs, got ${vms.length}`);
  return { wallMs, vms: vms.length };
}

/** Round trips a side is expected to pay for `pages` pages: one each, or the first then waves. */
function expectedRoundTrips(side, pages, workers) {
  return side === 'connector' ? 1 + Math.ceil((pages - 1) / workers) : pages;
}

/**
 * One run's rows: its two fleets (with and without latency) started once; per case, both sides
 * against both fleets, interleaved round by round; medians of ROUNDS after WARMUP.
 */
async function measureRun(run) {
  const spec = CLOUDS[run.cloud];
  const maxPageSize = run.maxPageSize ?? spec.maxPageSize;
  const fleets = {};
  const agent = new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 });
  const rows = [];
  try {
    for (const [name, latency] of [
      ['latency', LATENCY_MS],
      ['none', 0],
    ]) {
      const { fleet, stop } = await startFleet(run.cloud, 1, VMS, { latency, maxPageSize });
      fleets[name] = { cloud: fleet[0], stop };
    }
    for (const name of FLEETS) fleets[name].floor = await spec.floorFor(agent, fleets[name].cloud);
    for (const { pageSize, workers } of run.cases) {
      const instances = [];
      try {
        const tasks = [];
        for (const name of FLEETS) {
          const { cloud, floor } = fleets[name];
          const instance = await spec.instance(cloud, pageSize, workers);
          instances.push(instance);
          const session = await instance.session(spec.credentials(cloud));
          tasks.push([`sequential floor|${name}`, () => floor(pageSize)]);
          tasks.push([`connector|${name}`, () => session.describe()]);
        }
        const samples = Object.fromEntries(tasks.map(([key]) => [key, []]));
        for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
          const order = round % 2 === 0 ? tasks : [...tasks].reverse();
          for (const [key, fn] of order) {
            const sample = await wallOf(fn);
            if (round >= WARMUP) samples[key].push(sample);
          }
        }
        const granted = Math.min(pageSize, run.granted ?? pageSize);
        const pages = Math.ceil(VMS / granted);
        for (const side of SIDES) {
          const wallMs = median(samples[`${side}|latency`].map((s) => s.wallMs));
          const wallMsNoLatency = median(samples[`${side}|none`].map((s) => s.wallMs));
          rows.push({
            cloud: run.label ?? run.cloud,
            pages,
            pageSize: granted,
            side,
            // The case's max.iaas.workers (on both rows, so that a row names its case), and the
            // requests the side has in flight at once.
            maxIaasWorkers: workers,
            workers: side === 'connector' ? workers : 1,
            latencyMs: LATENCY_MS,
            wallMs: tenth(wallMs),
            wallMsNoLatency: tenth(wallMsNoLatency),
            // What the latency cost: the wall it added, in round trips of it.
            latencyCostRoundTrips: tenth((wallMs - wallMsNoLatency) / LATENCY_MS),
            // What it should cost: one per page in sequence, or the first page and then waves.
            expectedRoundTrips: expectedRoundTrips(side, pages, workers),
            // Wall / latency, CPU included (what the benchmark reported before).
            roundTrips: tenth(wallMs / LATENCY_MS),
            vms: samples[`${side}|latency`][0].vms,
          });
        }
      } finally {
        for (const instance of instances) await instance.close();
      }
    }
  } finally {
    await agent.close();
    for (const fleet of Object.values(fleets)) fleet.stop();
  }
  return rows;
}

export async function run() {
  const started = performance.now();
  const title = `describe() of ${VMS.toLocaleString('en')} VMs with ${LATENCY_MS} ms per request: connector (max.iaas.workers) vs the sequential floor; latency cost = (wall with latency - wall without) / ${LATENCY_MS} ms, in round trips`;
  const rows = [];
  for (const cloudRun of RUNS) rows.push(...(await measureRun(cloudRun)));
  record('paging-latency', { title, latencyMs: LATENCY_MS, vms: VMS, rounds: ROUNDS, warmup: WARMUP, rows });

  console.log(`${title}; median of ${ROUNDS} round(s) after ${WARMUP} warm-up`);
  console.log(
    '| cloud | page size | pages | workers | sequential floor: wall (no latency) | latency cost | connector: wall (no latency) | latency cost | connector expected | VMs |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const waves = (count) => `${count} wave${count === 1 ? '' : 's'}`;
  const cost = (row) => `${row.latencyCostRoundTrips.toFixed(1)} round trips`;
  for (let index = 0; index < rows.length; index += 2) {
    const [floor, connector] = [rows[index], rows[index + 1]];
    console.log(
      `| ${floor.cloud} | ${floor.pageSize} | ${floor.pages} | ${connector.workers} | ${floor.wallMs.toFixed(0)} ms (${floor.wallMsNoLatency.toFixed(0)} ms) | ${cost(floor)} | ${connector.wallMs.toFixed(0)} ms (${connector.wallMsNoLatency.toFixed(0)} ms) | ${cost(connector)} | ${connector.expectedRoundTrips} (1 + ${waves(connector.expectedRoundTrips - 1)}) | ${connector.vms} |`,
    );
  }
  console.log(`run time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
