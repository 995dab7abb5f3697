// Latency-aware paging: describe() of one cloud's 5,000 VMs when every request takes 50 ms (the
// simulators' injected latency, as a distant cloud's round trip), through the connector (pages
// after the first asked together, at most max.iaas.workers = 5 at a time) against the sequential
// floor (the same pages requested with undici one after the other, each parsed, nothing mapped),
// for several page sizes. Wall time is reported in milliseconds and in round trips (wall / 50 ms).
// Each side's time also holds the CPU both processes spend on 5,000 VMs (the simulator renders
// them, the client parses them), which a loaded machine stretches: the `(no latency)` rows show
// that cost alone, so the round trips are an upper bound of what latency costs. One measured round by
// default (BENCH_ROUNDS for more), after one untimed describe per instance (the session's login
// and lookups) and, per cloud, one untimed floor.
//
// The simulators grant pages of up to 5,000 here (CloudStack's default.page.size and vCloud's
// restapi.queryservice.maxPageSize raised, as an operator may; oned has no cap). A vCloud cell
// keeps 128 by default: the `vcloud (cell cap 128)` row shows that case at the connector's
// default page size.
import { Agent } from 'undici';
import { floorDescribe as cloudstackFloor } from './cloudstack-describe.bench.js';
import { startFleet } from './describe-harness.js';
import { floorDescribe as opennebulaFloor } from './opennebula-describe.bench.js';
import { record } from './results.js';
import { floorDescribe as vcloudFloor, floorSession as vcloudFloorSession } from './vcloud-describe.bench.js';

const VMS = 5000;
const LATENCY_MS = 50;
// 2, 5, 10 and 20 pages; one page would leave nothing to ask together.
const PAGE_SIZES = [2500, 1000, 500, 250];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);

const dist = (name) => new URL(`../packages/${name}/dist/index.js`, import.meta.url).href;
const core = await import(dist('connector-core'));
const cloudstack = await import(dist('connector-cloudstack'));
const opennebula = await import(dist('connector-opennebula'));
const vcloud = await import(dist('connector-vcloud'));

/**
 * Per cloud: how to start its simulator, an instance of the connector asking `pageSize` per page,
 * its credentials, and the floor. `floorFor` may open a session first (vCloud's login).
 */
const CLOUDS = {
  cloudstack: {
    maxPageSize: 5000,
    instance: (cloud, pageSize) =>
      core.createInstance(cloudstack.default, {
        instance: `cs-${pageSize}`,
        parameters: { endpoint: `${cloud.url}/client/api`, 'page.size': pageSize },
      }),
    credentials: (cloud) => ({ key: cloud.key, secret: cloud.secret }),
    floorFor: async (agent, cloud) => (pageSize) => cloudstackFloor(agent, cloud, pageSize),
  },
  opennebula: {
    instance: (cloud, pageSize) =>
      core.createInstance(opennebula.createOpenNebulaConnector({ pageSize }), {
        instance: `one-${pageSize}`,
        parameters: { endpoint: cloud.rpcUrl },
      }),
    credentials: (cloud) => ({ username: cloud.key, password: cloud.secret }),
    floorFor: async (agent, cloud) => (pageSize) => opennebulaFloor(agent, cloud, pageSize),
  },
  vcloud: {
    maxPageSize: 5000,
    instance: (cloud, pageSize) =>
      core.createInstance(vcloud.createVcloudConnector({ pageSize }), {
        instance: `vcd-${pageSize}`,
        parameters: { endpoint: cloud.endpoint, org: cloud.org, vdc: cloud.vdc },
      }),
    credentials: (cloud) => ({ username: cloud.key, password: cloud.secret }),
    floorFor: async (agent, cloud) => {
      const session = await vcloudFloorSession(agent, cloud);
      return (pageSize) => vcloudFloor(agent, session, pageSize);
    },
  },
};

/**
 * The runs: each cloud at each page size; vCloud once more at a cell's default cap of 128; and,
 * for reference, each cloud at the connector's default page size with no latency at all, which
 * is what the CPU of both processes costs by itself (a wall time at 50 ms per request is that
 * plus what latency adds).
 */
const RUNS = [
  ...Object.keys(CLOUDS).map((cloud) => ({ cloud, pageSizes: PAGE_SIZES })),
  // The connector's default page size (1000), which the cell grants as 128: 40 pages.
  { cloud: 'vcloud', label: 'vcloud (cell cap 128)', maxPageSize: 128, pageSizes: [1000], granted: 128 },
  { cloud: 'cloudstack', label: 'cloudstack (no latency)', latency: 0, pageSizes: [500] },
  { cloud: 'opennebula', label: 'opennebula (no latency)', latency: 0, pageSizes: [500] },
  { cloud: 'vcloud', label: 'vcloud (no latency)', latency: 0, pageSizes: [1000] },
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function wallOf(fn) {
  const started = performance.now();
  const vms = await fn();
  const wallMs = performance.now() - started;
  if (vms.length !== VMS) throw new Error(`expected ${VMS} VMs, got ${vms.length}`);
  return { wallMs, vms: vms.length };
}

/** One cloud's rows: per page size, the floor and the connector alternately, medians of ROUNDS. */
async function measureCloud(run) {
  const spec = CLOUDS[run.cloud];
  const maxPageSize = run.maxPageSize ?? spec.maxPageSize;
  const latency = run.latency ?? LATENCY_MS;
  const { fleet, stop } = await startFleet(run.cloud, 1, VMS, { latency, maxPageSize });
  const [cloud] = fleet;
  const agent = new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 });
  const rows = [];
  try {
    const floor = await spec.floorFor(agent, cloud);
    await wallOf(() => floor(run.pageSizes[0]));
    for (const pageSize of run.pageSizes) {
      const instance = await spec.instance(cloud, pageSize);
      try {
        const session = await instance.session(spec.credentials(cloud));
        const sides = {
          'sequential floor': () => floor(pageSize),
          connector: () => session.describe(),
        };
        await wallOf(sides.connector);
        const samples = { 'sequential floor': [], connector: [] };
        for (let round = 0; round < ROUNDS; round += 1) {
          const order =
            round % 2 === 0 ? ['sequential floor', 'connector'] : ['connector', 'sequential floor'];
          for (const side of order) samples[side].push(await wallOf(sides[side]));
        }
        const granted = Math.min(pageSize, run.granted ?? pageSize);
        for (const side of ['sequential floor', 'connector']) {
          const wallMs = median(samples[side].map((s) => s.wallMs));
          rows.push({
            cloud: run.label ?? run.cloud,
            pages: Math.ceil(VMS / granted),
            pageSize: granted,
            side,
            latencyMs: latency,
            wallMs: Math.round(wallMs * 10) / 10,
            // In round trips of the benchmark's latency, also for the rows without it, so that the two compare.
            roundTrips: Math.round((wallMs / LATENCY_MS) * 10) / 10,
            vms: samples[side][0].vms,
          });
        }
        await session.close?.();
      } finally {
        await instance.close();
      }
    }
  } finally {
    await agent.close();
    stop();
  }
  return rows;
}

export async function run() {
  const title = `describe() of ${VMS.toLocaleString('en')} VMs with ${LATENCY_MS} ms per request: connector (max.iaas.workers = 5) vs the sequential floor; round trips = wall / ${LATENCY_MS} ms`;
  const rows = [];
  for (const cloudRun of RUNS) rows.push(...(await measureCloud(cloudRun)));
  record('paging-latency', { title, latencyMs: LATENCY_MS, vms: VMS, rounds: ROUNDS, rows });

  console.log(`${title}; median of ${ROUNDS} round(s)`);
  console.log(
    '| cloud | page size | pages | sequential floor | round trips | connector | round trips | VMs |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (let index = 0; index < rows.length; index += 2) {
    const [floor, connector] = [rows[index], rows[index + 1]];
    console.log(
      `| ${floor.cloud} | ${floor.pageSize} | ${floor.pages} | ${floor.wallMs.toFixed(0)} ms | ${floor.roundTrips.toFixed(1)} | ${connector.wallMs.toFixed(0)} ms | ${connector.roundTrips.toFixed(1)} | ${connector.vms} |`,
    );
  }
}
