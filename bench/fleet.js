// A fleet of simulators for the describe benchmarks, run in its own process so that the
// simulators' work (rendering thousands of VMs) never runs on the measured process's thread.
// Prints one JSON line: one entry per simulator with its URL and first account (plus the
// OpenStack user for `--cloud openstack`, the XML-RPC URL for `--cloud opennebula`, the endpoint,
// org and VDC for `--cloud vcloud`), for `--clouds` simulators of `--vms` running VMs each.
// `--latency MS` holds back every answer by MS (the simulators' injected latency), as a distant
// cloud would; `--max-page-size N` raises the largest page the cloud grants (CloudStack's
// default.page.size, vCloud's restapi.queryservice.maxPageSize), as an operator may.
// `--vm-limit N` sets the accounts' VM limit (default `--vms`), for VMs launched after the start;
// `--boot-delay MS` sets how long a launched VM boots (and stops) — the simulators' bootDelayMs and
// haltDelayMs, default theirs — so that launching thousands of VMs is quick.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const simulator = (cloud) =>
  import(new URL(`../packages/cloud-simulators/dist/${cloud}.js`, import.meta.url).href);
const cloudstack = await simulator('cloudstack');
const openstack = await simulator('openstack');
const ec2 = await simulator('ec2');
const opennebula = await simulator('opennebula');
const vcloud = await simulator('vcloud');
const CLOUDS = {
  cloudstack: { start: cloudstack.startCloudStack, options: {} },
  // Nova's osapi_max_limit as large as the fleet, so that a page size is the client's choice.
  openstack: { start: openstack.startOpenStack, options: { maxLimit: 1000 } },
  ec2: { start: ec2.startEc2, options: {} },
  opennebula: { start: opennebula.startOpenNebula, options: {} },
  vcloud: { start: vcloud.startVcloud, options: {} },
};
const { values } = parseArgs({
  options: {
    cloud: { type: 'string' },
    clouds: { type: 'string' },
    vms: { type: 'string' },
    latency: { type: 'string' },
    'max-page-size': { type: 'string' },
    'vm-limit': { type: 'string' },
    'boot-delay': { type: 'string' },
  },
});
const { start, options } = CLOUDS[values.cloud ?? 'cloudstack'];
const clouds = Number(values.clouds ?? 10);
const vms = Number(values.vms ?? 1000);
const latency = Number(values.latency ?? 0);
const vmLimit = Number(values['vm-limit'] ?? vms);
const delays =
  values['boot-delay'] === undefined
    ? {}
    : { bootDelayMs: Number(values['boot-delay']), haltDelayMs: Number(values['boot-delay']) };
const PAGE_SIZE_OPTION = { cloudstack: 'defaultPageSize', vcloud: 'maxPageSize' };
const pageSizeOption = PAGE_SIZE_OPTION[values.cloud ?? 'cloudstack'];
if (values['max-page-size'] !== undefined && pageSizeOption === undefined) {
  throw new Error(`--max-page-size applies to ${Object.keys(PAGE_SIZE_OPTION).join(' and ')} only`);
}
const pageSizeLimit =
  values['max-page-size'] === undefined ? {} : { [pageSizeOption]: Number(values['max-page-size']) };

const fleet = [];
const simulators = [];
for (let index = 0; index < clouds; index += 1) {
  const sim = await start({
    ...options,
    ...pageSizeLimit,
    ...delays,
    accounts: [{ key: `bench-key-${index}`, secret: `bench-secret-${index}`, vmLimit }],
  });
  const { cloud } = sim.control;
  const account = cloud.accountByKey(sim.credentials.key);
  const [zone, image, size] = [cloud.zones[0], cloud.images[0], cloud.sizes[0]];
  cloud.seedVms(account.id, vms, { zone: zone.id, image: image.id, size: size.id, namePrefix: `vm${index}` });
  if (latency > 0) sim.control.addLatency(latency, { times: Number.POSITIVE_INFINITY });
  simulators.push(sim);
  fleet.push({
    url: sim.url,
    ...sim.credentials,
    authUrl: sim.authUrl,
    user: sim.user,
    region: sim.region,
    rpcUrl: sim.rpcUrl,
    endpoint: sim.endpoint,
    org: sim.org,
    vdc: sim.vdc,
  });
}
process.stdout.write(`${JSON.stringify(fleet)}\n`);
// Runs until the benchmark closes our stdin. Each line `requests N` on stdin answers one line: the
// request log of simulator N since the last time it was asked, as [receivedAt, answeredAt] pairs
// (the log's shared event counter), and clears it.
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, index] = line.trim().split(' ');
  if (command !== 'requests') return;
  const { control } = simulators[Number(index)];
  const events = control.requests.map((request) => [request.receivedAt, request.answeredAt]);
  control.clearRequests();
  process.stdout.write(`${JSON.stringify(events)}\n`);
});
lines.on('close', () => process.exit(0));
