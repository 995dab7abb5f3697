import { setMaxListeners } from 'node:events';
import { startDemoClouds } from './demo-clouds.js';
import { runDemo } from './run-demo.js';

// `pnpm demo`: two instances of the local connector, as SEED.md's example connector list configures
// two instances of one cloud, plus CloudStack, Exoscale, OpenStack and Open Telekom Cloud against
// their simulators on loopback.
// The list can be changed with SLIPSTREAM_CONNECTORS.
const connectors =
  process.env.SLIPSTREAM_CONNECTORS ??
  'local,lab2:local,aws,cloudstack,exoscale,opennebula,nuvlabox,openstack,otc,vcloud';
const controller = new AbortController();
// One signal serves every call of every instance, a dozen at a time: more listeners than Node's
// default warning threshold, none of them leaked (each call removes its own).
setMaxListeners(100, controller.signal);
process.once('SIGINT', () => controller.abort());

const clouds = await startDemoClouds(connectors);
for (const line of clouds.started) process.stdout.write(`Started the ${line}\n`);
try {
  const result = await runDemo({
    connectors,
    // Resolve connectors from this program's own installation, never from the working directory.
    from: import.meta.url,
    parameters: clouds.parameters,
    credentials: clouds.credentials,
    write: (line) => process.stdout.write(`${line}\n`),
    signal: controller.signal,
  });
  process.exitCode = result.failures.length === 0 ? 0 : 1;
} finally {
  await clouds.close();
}
