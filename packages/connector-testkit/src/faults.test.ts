import { describe, expect, it } from 'vitest';
import { faultTargetProblems } from './faults.js';
import { describeConformance, describeFaults, type FaultTarget } from './index.js';
import {
  FAKE_CLOUD_OPERATIONS,
  FAKE_CLOUD_USER,
  type FakeCloud,
  startFakeCloud,
} from './testing/fake-cloud.js';
import { fakeHttpConnector } from './testing/fake-http-connector.js';

// The fault suite on a connector that behaves under faults, over real HTTP to a fake cloud: every
// check must pass.
const clouds: FakeCloud[] = [];
describeFaults('fake-http', async (): Promise<FaultTarget> => {
  const cloud = await startFakeCloud();
  clouds.push(cloud);
  return {
    definition: fakeHttpConnector(),
    parameters: { endpoint: cloud.url },
    credentials: { ...FAKE_CLOUD_USER },
    control: cloud.control,
    operations: { ...FAKE_CLOUD_OPERATIONS },
    timeoutMs: 5_000,
    pollIntervalMs: 20,
    teardown: () => cloud.close(),
  };
});

// A cloud that throttles without Retry-After (EC2's 503 RequestLimitExceeded): the throttling check
// wants RATE_LIMITED after the transport's own retries.
describeFaults('fake-http throttling without Retry-After', async (): Promise<FaultTarget> => {
  const cloud = await startFakeCloud({ throttleWithoutRetryAfter: true });
  return {
    definition: fakeHttpConnector(),
    parameters: { endpoint: cloud.url },
    credentials: { ...FAKE_CLOUD_USER },
    control: cloud.control,
    operations: { ...FAKE_CLOUD_OPERATIONS },
    throttlesWithRetryAfter: false,
    timeoutMs: 5_000,
    pollIntervalMs: 20,
    teardown: () => cloud.close(),
  };
});

describe('the fault suite on the fake HTTP cloud', () => {
  it('made exactly one VM when the create answer was lost, and terminated it', () => {
    expect(clouds).toHaveLength(1);
    const vms = [...(clouds[0]?.vms.values() ?? [])];
    expect(vms).toHaveLength(1);
    expect(vms[0]?.state).toBe('deleted');
  });
});

// The same connector passes the conformance suites too, each against a fake cloud of its own.
describeConformance('fake-http', async () => {
  const cloud = await startFakeCloud();
  return {
    definition: fakeHttpConnector(),
    parameters: { endpoint: cloud.url },
    credentials: { ...FAKE_CLOUD_USER },
    timeoutMs: 5_000,
    pollIntervalMs: 20,
    teardown: () => cloud.close(),
  };
});

describe('faultTargetProblems', () => {
  it('lists every missing control method and operation name', () => {
    const problems = faultTargetProblems({
      definition: fakeHttpConnector(),
      parameters: {},
      credentials: {},
      control: { count: () => 0 } as never,
      operations: { list: 'listVms' } as never,
    });
    expect(problems).toEqual([
      '"control" has no failWithStatus, rateLimit, resetConnection, malformBody, addLatency, clearFaults, clearRequests method',
      '"operations.create" must be the name under which the test cloud counts creating a VM',
    ]);
  });

  it('accepts the fake cloud control', async () => {
    const cloud = await startFakeCloud();
    try {
      expect(
        faultTargetProblems({
          definition: fakeHttpConnector(),
          parameters: {},
          credentials: {},
          control: cloud.control,
          operations: { ...FAKE_CLOUD_OPERATIONS },
        }),
      ).toEqual([]);
    } finally {
      await cloud.close();
    }
  });
});
