// Latency-aware paging: describe() of one cloud's 5,000 VMs when every request takes 50 ms (the
// simulators' injected latency, as a distant cloud's round trip), through the connector (pages
// after the first asked together, at most max.iaas.workers at a time, 5 by default) against the
// sequential floor (the same pages requested with undici one after the other, each parsed, nothing
// mapped) and, on CloudStack, Apache Libcloud's list_nodes (bench/libcloud.js's worker), for
// several page sizes.
//
// Two figures per side, each in round trips of 50 ms:
// - round trips on the critical path, from the simulator's request log: a request waited for
//   every answer given before it arrived (describe-harness.js's criticalPath). This is what the
//   latency costs a listing when the cloud answers pages as fast as they come (a real cloud's
//   many API servers); expected: the sequential floor one per page, the connector
//   1 + ceil((pages - 1) / workers) (the first page, then at most `workers` at a time).
// - latency cost, from wall times: each side lists two fleets of the same VMs at the same page
//   size, one answering after 50 ms and one at once, and
//     latency cost = (median wall with latency - median wall without) / 50 ms.
//   The CPU of producing and parsing 5,000 VMs is in both walls and cancels out, but one simulator
//   process renders every page on one core, so where its CPU per page is large (vCloud's 40 pages
//   of 128, each filtered and sorted over every VM) the pages queue there and the figure shows
//   that queue and the machine's noise as much as the paging.
//
// Both fleets start once per cloud; the measurements (each side, each fleet) are interleaved round
// by round, their order reversed every other round, after one untimed warm-up round (the sessions'
// login and lookups). ROUNDS measured rounds, 3 by default (BENCH_ROUNDS overrides).
//
// The simulators grant pages of up to 5,000 here (CloudStack's default.page.size and vCloud's
// restapi.queryservice.maxPageSize raised, as an operator may; oned has no cap), so libcloud,
// which asks no page size, gets every VM in CloudStack's first page. A vCloud cell keeps 128 by
// default: the `vcloud (cell cap 128)` rows show that case (40 pages) at the connector's default
// page size, with the default 5 workers and with max.iaas.workers = 20.
import { Agent } from 'undici';
import { floorDescribe as cloudstackFloor } from './cloudstack-describe.bench.js';
import { criticalPath, startFleet } from './describe-harness.js';
import { pythonWithLibcloud, startWorker } from './libcloud.js';
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
    cases: PAGE_SIZES.map((pageSize) => ({
      pageSize,
      workers: WORKERS,
      // Apache Libcloud beside CloudStack at the connector's default page size (500); its CloudStack
      // driver is the one of the three that lists against these simulators (its OpenNebula driver
      // speaks OCCI, its vCloud driver reads every vApp's document instead of the query service).
      withLibcloud: cloud === 'cloudstack' && pageSize === 500,
    })),
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

const FLEETS = ['latency', 'none'];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const tenth = (value) => Math.round(value * 10) / 10;

/**
 * Round trips a side is expected to pay for pages of `pageSize`: one each, or the first then at most
 * `workers` at a time. OpenNebula's pool says no total: only a short page ends it, so when the last
 * page is full one more (empty) page is read.
 */
function expectedRoundTrips(cloud, side, pageSize, workers) {
  const pages = Math.ceil(VMS / pageSize);
  const read = cloud === 'opennebula' && VMS % pageSize === 0 ? pages + 1 : pages;
  return side === 'connector' ? 1 + Math.ceil((read - 1) / workers) : read;
}

/**
 * One run's rows: its two fleets (with and without latency) started once; per case, every side
 * against both fleets, interleaved round by round; medians of ROUNDS after WARMUP. After each
 * listing the fleet's request log gives the round trips on the listing's critical path.
 */
async function measureRun(run, libcloud) {
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
      const { fleet, stop, requests } = await startFleet(run.cloud, 1, VMS, { latency, maxPageSize });
      fleets[name] = { cloud: fleet[0], stop, requests: () => requests(0) };
    }
    for (const name of FLEETS) fleets[name].floor = await spec.floorFor(agent, fleets[name].cloud);
    if (libcloud && run.cases.some((one) => one.withLibcloud)) {
      await libcloud.ask({ cmd: 'setup', cloud: run.cloud, fleet: FLEETS.map((name) => fleets[name].cloud) });
    }
    for (const { pageSize, workers, withLibcloud } of run.cases) {
      const instances = [];
      try {
        // Each side lists on both fleets; every listing answers how many VMs it returned (libcloud
        // also its own wall time, measured in its worker).
        const sides = { 'sequential floor': {}, connector: {} };
        for (const name of FLEETS) {
          const { cloud, floor } = fleets[name];
          const instance = await spec.instance(cloud, pageSize, workers);
          instances.push(instance);
          const session = await instance.session(spec.credentials(cloud));
          sides['sequential floor'][name] = async () => ({ vms: (await floor(pageSize)).length });
          sides.connector[name] = async () => ({ vms: (await session.describe()).length });
        }
        if (withLibcloud && libcloud) {
          sides.libcloud = {};
          FLEETS.forEach((name, only) => {
            sides.libcloud[name] = async () => {
              const answer = await libcloud.ask({ cmd: 'list', only });
              return { wallMs: answer.wallMs, vms: answer.vms[0] };
            };
          });
        }
        const tasks = Object.entries(sides).flatMap(([side, byFleet]) =>
          FLEETS.map((name) => ({ side, name, list: byFleet[name], fleet: fleets[name] })),
        );
        const samples = new Map(tasks.map((task) => [task, []]));
        for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
          const order = round % 2 === 0 ? tasks : [...tasks].reverse();
          for (const task of order) {
            await task.fleet.requests(); // the log from here on is this listing's
            const started = performance.now();
            const { vms, wallMs = performance.now() - started } = await task.list();
            if (task.side !== 'libcloud' && vms !== VMS)
              throw new Error(`${task.side}: expected ${VMS} VMs, got ${vms}`);
            const criticalRoundTrips = criticalPath(await task.fleet.requests());
            if (round >= WARMUP) samples.get(task).push({ wallMs, vms, criticalRoundTrips });
          }
        }
        const granted = Math.min(pageSize, run.granted ?? pageSize);
        const pages = Math.ceil(VMS / granted);
        for (const side of Object.keys(sides)) {
          const of = (name) => samples.get(tasks.find((task) => task.side === side && task.name === name));
          const wallMs = median(of('latency').map((s) => s.wallMs));
          const wallMsNoLatency = median(of('none').map((s) => s.wallMs));
          rows.push({
            cloud: run.label ?? run.cloud,
            pages,
            pageSize: granted,
            side,
            // The case's max.iaas.workers (on every row, so that a row names its case), and the
            // requests the side has in flight at once.
            maxIaasWorkers: workers,
            workers: side === 'connector' ? workers : 1,
            latencyMs: LATENCY_MS,
            wallMs: tenth(wallMs),
            wallMsNoLatency: tenth(wallMsNoLatency),
            // What the latency cost: the wall it added, in round trips of it.
            latencyCostRoundTrips: tenth((wallMs - wallMsNoLatency) / LATENCY_MS),
            // The round trips one after the other, from the simulator's request log (the most of
            // the measured rounds): what the latency costs when the cloud's CPU is not the limit.
            criticalRoundTrips: Math.max(...of('latency').map((s) => s.criticalRoundTrips)),
            // What it should cost: one per page in sequence, or the first page and then waves
            // (libcloud: its own requests, one after the other).
            expectedRoundTrips:
              side === 'libcloud' ? undefined : expectedRoundTrips(run.cloud, side, granted, workers),
            // Wall / latency, CPU included (what the benchmark reported before).
            roundTrips: tenth(wallMs / LATENCY_MS),
            vms: Math.min(...of('latency').map((s) => s.vms)),
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
  let libcloud;
  try {
    libcloud = startWorker(await pythonWithLibcloud());
  } catch (error) {
    console.log(`libcloud rows skipped: ${error.message}`);
  }
  const title = `describe() of ${VMS.toLocaleString('en')} VMs with ${LATENCY_MS} ms per request: connector (max.iaas.workers) vs the sequential floor and Apache Libcloud; latency cost = (wall with latency - wall without) / ${LATENCY_MS} ms, and round trips on the critical path from the simulator's request log`;
  const rows = [];
  try {
    for (const cloudRun of RUNS) rows.push(...(await measureRun(cloudRun, libcloud)));
  } finally {
    await libcloud?.stop();
  }
  record('paging-latency', { title, latencyMs: LATENCY_MS, vms: VMS, rounds: ROUNDS, warmup: WARMUP, rows });

  console.log(`${title}; median of ${ROUNDS} round(s) after ${WARMUP} warm-up`);
  console.log(
    '| cloud | page size | pages | side | in flight | wall with latency (without) | latency cost | round trips on the critical path | expected | VMs returned |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.cloud} | ${row.pageSize} | ${row.pages} | ${row.side} | ${row.workers} | ${row.wallMs.toFixed(0)} ms (${row.wallMsNoLatency.toFixed(0)} ms) | ${row.latencyCostRoundTrips.toFixed(1)} | ${row.criticalRoundTrips} | ${row.expectedRoundTrips ?? '-'} | ${row.vms} of ${VMS} |`,
    );
  }
  console.log(`run time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
