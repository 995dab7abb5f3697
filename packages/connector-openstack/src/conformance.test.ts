import { type RunningOpenStack, startOpenStack } from '@slipstream/cloud-simulators/openstack';
import { describeConformance } from '@slipstream/connector-testkit';
import definition from './index.js';

// The shared conformance suite (@slipstream/connector-testkit) against the OpenStack simulator
// (Keystone, Nova and Glance), with short delays so that servers boot, stop and go within
// milliseconds.
let sim: RunningOpenStack | undefined;

describeConformance('openstack', async () => {
  sim = await startOpenStack({ bootDelayMs: 50, haltDelayMs: 50 });
  return {
    definition,
    parameters: { endpoint: sim.authUrl, 'service.region': sim.region },
    credentials: {
      username: sim.user.username,
      password: sim.user.password,
      project: sim.user.project,
      domain: sim.user.domain,
    },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    teardown: () => sim?.close(),
  };
});
