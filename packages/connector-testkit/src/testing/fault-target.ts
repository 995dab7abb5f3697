import type { FaultTarget } from '../faults.js';
import { FAKE_CLOUD_OPERATIONS, FAKE_CLOUD_USER, startFakeCloud } from './fake-cloud.js';
import { type FaultQuirk, fakeHttpConnector } from './fake-http-connector.js';

/** A target function starting a fake HTTP cloud of its own, as a connector starts its simulator. */
export function fakeFaultTarget(quirks: readonly FaultQuirk[] = []): () => Promise<FaultTarget> {
  return async () => {
    const cloud = await startFakeCloud();
    return {
      definition: fakeHttpConnector({ quirks }),
      parameters: { endpoint: cloud.url },
      credentials: { ...FAKE_CLOUD_USER },
      control: cloud.control,
      operations: { ...FAKE_CLOUD_OPERATIONS },
      timeoutMs: 5_000,
      pollIntervalMs: 20,
      teardown: () => cloud.close(),
    };
  };
}
