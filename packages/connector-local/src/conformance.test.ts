import { describeConformance } from '@slipstream/connector-testkit';
import definition from './index.js';

// The shared conformance suite (@slipstream/connector-testkit) on the local cloud, with short
// delays so that VMs boot, stop and terminate within milliseconds.
describeConformance('local', {
  definition,
  parameters: { accounts: 'demo:demo-secret', 'boot.delay.ms': 50, 'halt.delay.ms': 50 },
  credentials: { key: 'demo', secret: 'demo-secret' },
  timeoutMs: 10_000,
  pollIntervalMs: 20,
});
