// Run only by broken.test.ts, in a child vitest: each suite below breaks one rule, and the test
// checks that exactly the matching conformance checks fail, with messages that say why.
import { describeCatalog, describeConformance, describeLifecycle, describeSecrets } from '../index.js';
import { FAKE_USER, fakeConnector, QUIRKS } from './fake-connector.js';

const parameters = { endpoint: 'http://fake.invalid/api', 'boot.ms': 10 };

for (const quirk of QUIRKS) {
  describeConformance(quirk, {
    definition: fakeConnector({ quirks: [quirk] }),
    parameters,
    credentials: { ...FAKE_USER },
    timeoutMs: quirk === 'neverRuns' ? 300 : 5_000,
    pollIntervalMs: 10,
  });
}

describeConformance('targetThrows', async () => {
  throw new Error('the simulator did not start');
});

describeConformance('missingParameter', {
  definition: fakeConnector(),
  parameters: { 'boot.ms': 10 },
  credentials: { ...FAKE_USER },
  timeoutMs: 5_000,
});

// Single suites, each registered on its own: they must need nothing from the other suites.
for (const quirk of ['leakExpectedSecret', 'logSecret'] as const) {
  describeSecrets(`${quirk}, secrets alone`, () => ({
    definition: fakeConnector({ quirks: [quirk] }),
    parameters,
    credentials: { ...FAKE_USER },
    timeoutMs: 5_000,
  }));
}

describeCatalog('catalog alone', {
  definition: fakeConnector(),
  parameters,
  credentials: { ...FAKE_USER },
  timeoutMs: 5_000,
});

describeLifecycle('launchFails, lifecycle alone', {
  definition: fakeConnector({ quirks: ['launchFails'] }),
  parameters,
  credentials: { ...FAKE_USER },
  timeoutMs: 5_000,
  pollIntervalMs: 10,
});
