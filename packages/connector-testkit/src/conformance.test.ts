import type { ConnectorDefinition } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { describeConformance } from './index.js';
import { FAKE_ADMIN_SECRET, FAKE_USER, fakeConnector } from './testing/fake-connector.js';

/** The suites describeConformance composes, each with a target of its own when given a function. */
const SUITE_COUNT = 8;

// A connector that follows the contract with every capability: every check must pass. One object
// serves every suite, so its teardown must wait for the last of them.
const objectTeardowns: string[] = [];
describeConformance('fake (all capabilities)', {
  definition: fakeConnector(),
  parameters: { endpoint: 'http://fake.invalid/api', 'admin.secret': FAKE_ADMIN_SECRET, 'boot.ms': '20' },
  credentials: { ...FAKE_USER },
  timeoutMs: 5_000,
  pollIntervalMs: 20,
  teardown: () => {
    objectTeardowns.push('stopped');
  },
});

describe('the object-form target', () => {
  it('was torn down exactly once, after every suite', () => {
    expect(objectTeardowns).toEqual(['stopped']);
  });
});

// The function form, as a connector with a simulator uses it, on a connector with no optional
// capability: stop must be UNSUPPORTED, zones may be empty, launch sends no tags, key or user-data.
// Each suite calls the function for a target of its own ("starts a simulator") and tears it down.
const events: string[] = [];
let started = 0;
describeConformance('fake (no capabilities, function form)', async () => {
  await new Promise((resolve) => setTimeout(resolve, 5)); // "start a simulator"
  started += 1;
  const n = started;
  events.push(`started ${n}`);
  const base = fakeConnector({
    capabilities: { stopStart: false, zones: false, sshKeys: false, userData: false, tags: false },
  });
  const definition: ConnectorDefinition = {
    ...base,
    create: (context) => {
      events.push(`used ${n}`);
      return base.create(context);
    },
  };
  return {
    definition,
    parameters: { endpoint: 'http://fake.invalid/api' },
    credentials: { ...FAKE_USER },
    badCredentials: { key: FAKE_USER.key, secret: 'not-the-secret' },
    launch: { size: 'large' },
    pollIntervalMs: 10,
    teardown: () => {
      events.push(`stopped ${n}`);
    },
  };
});

describe('the function-form target', () => {
  it('was called once per suite, each target torn down after its suite and before the next started', () => {
    const lifecycle = events.filter((event) => !event.startsWith('used'));
    expect(lifecycle).toEqual(
      Array.from({ length: SUITE_COUNT }, (_, i) => [`started ${i + 1}`, `stopped ${i + 1}`]).flat(),
    );
  });

  it('gave each suite its own target: every instance was made from the target of the running suite', () => {
    let current = 0;
    const strays: string[] = [];
    for (const event of events) {
      const [what, n] = event.split(' ');
      if (what === 'started') current = Number(n);
      if (what === 'used' && Number(n) !== current) strays.push(`${event} while suite ${current} ran`);
    }
    expect(strays).toEqual([]);
    // Every suite but the definition's creates an instance.
    expect(new Set(events.filter((e) => e.startsWith('used'))).size).toBe(SUITE_COUNT - 1);
  });
});
