import { startExoscale } from '@slipstream/cloud-simulators/exoscale';
import { describeConformance } from '@slipstream/connector-testkit';
import definition from './index.js';

// The shared conformance suite (@slipstream/connector-testkit) against the Exoscale simulator,
// with short boot and halt delays and a fast operation poll.
describeConformance('exoscale', async () => {
  const sim = await startExoscale({ bootDelayMs: 50, haltDelayMs: 50 });
  return {
    definition,
    parameters: { endpoint: `${sim.url}/v2`, 'poll.interval.ms': 10 },
    credentials: sim.credentials,
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    teardown: () => sim.close(),
  };
});
