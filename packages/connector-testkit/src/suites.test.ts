import { describe, expect, it } from 'vitest';
import {
  type ConformanceTarget,
  describeAbort,
  describeCatalog,
  describeCredentials,
  describeDefinition,
  describeLifecycle,
  describeParameters,
  describeSecrets,
  describeUnknownIds,
} from './index.js';
import { FAKE_USER, fakeConnector } from './testing/fake-connector.js';

// Each suite registered on its own, with nothing else in the file: each must pass by itself.
const target = (): ConformanceTarget => ({
  definition: fakeConnector(),
  parameters: { endpoint: 'http://fake.invalid/api', 'boot.ms': 10 },
  credentials: { ...FAKE_USER },
  timeoutMs: 5_000,
  pollIntervalMs: 10,
});

const teardowns: string[] = [];
const counted = (suite: string) => (): ConformanceTarget => ({
  ...target(),
  teardown: () => {
    teardowns.push(suite);
  },
});

describeCatalog('catalog only', { ...target(), teardown: () => void teardowns.push('catalog') });
describeDefinition('definition only', counted('definition'));
describeParameters('parameters only', counted('parameters'));
describeCredentials('credentials only', counted('credentials'));
describeLifecycle('lifecycle only', async () => counted('lifecycle')());
describeUnknownIds('unknown ids only', counted('unknown ids'));
describeAbort('abort only', counted('abort'));
describeSecrets('secrets only', async () => counted('secrets')());

describe('suites registered on their own', () => {
  it('each tore its own target down once, after it ran', () => {
    expect(teardowns).toEqual([
      'catalog',
      'definition',
      'parameters',
      'credentials',
      'lifecycle',
      'unknown ids',
      'abort',
      'secrets',
    ]);
  });
});
