import type { RunningSimulator } from '@slipstream/cloud-simulators';
import { CLOUDSTACK_API_PATH, startCloudStack } from '@slipstream/cloud-simulators/cloudstack';
import { describeConformance } from '@slipstream/connector-testkit';
import definition from './index.js';

// The shared conformance suite (@slipstream/connector-testkit) against the CloudStack simulator,
// with short delays so that VMs boot, stop and expunge within milliseconds.
let sim: RunningSimulator | undefined;

describeConformance('cloudstack', async () => {
  sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50 });
  return {
    definition,
    parameters: { endpoint: `${sim.url}${CLOUDSTACK_API_PATH}`, 'async.poll.interval.ms': 20 },
    credentials: { key: sim.credentials.key, secret: sim.credentials.secret },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    // CloudStack ids are UUIDs; a well-formed one it never knew.
    unknownVmId: '00000000-0000-4000-8000-000000000000',
    teardown: () => sim?.close(),
  };
});
