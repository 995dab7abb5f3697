// A fleet of CloudStack simulators for the describe benchmark, run in its own process so that the
// simulators' work (rendering thousands of VMs) never runs on the measured process's thread.
// Prints one JSON line: [{ url, key, secret }, ...] for `--clouds` simulators of `--vms` VMs each.
import { parseArgs } from 'node:util';

const simulators = new URL('../packages/cloud-simulators/dist/index.js', import.meta.url);
const { startCloudStack, CLOUDSTACK_CATALOG } = await import(simulators.href);
const { values } = parseArgs({ options: { clouds: { type: 'string' }, vms: { type: 'string' } } });
const clouds = Number(values.clouds ?? 10);
const vms = Number(values.vms ?? 1000);

const fleet = [];
for (let index = 0; index < clouds; index += 1) {
  const sim = await startCloudStack({
    accounts: [{ key: `bench-key-${index}`, secret: `bench-secret-${index}`, vmLimit: vms }],
  });
  const { cloud } = sim.control;
  const account = cloud.accountByKey(sim.credentials.key);
  const [zone, image, size] = [
    CLOUDSTACK_CATALOG.zones[0],
    CLOUDSTACK_CATALOG.images[0],
    CLOUDSTACK_CATALOG.sizes[0],
  ];
  cloud.seedVms(account.id, vms, { zone: zone.id, image: image.id, size: size.id, namePrefix: `vm${index}` });
  fleet.push({ url: sim.url, ...sim.credentials });
}
process.stdout.write(`${JSON.stringify(fleet)}\n`);
// Runs until the benchmark closes our stdin.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
