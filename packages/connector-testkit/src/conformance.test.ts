import { describe, expect, it } from 'vitest';
import { describeConformance } from './index.js';
import { FAKE_ADMIN_SECRET, FAKE_USER, fakeConnector } from './testing/fake-connector.js';

// A connector that follows the contract with every capability: every check must pass.
describeConformance('fake (all capabilities)', {
  definition: fakeConnector(),
  parameters: { endpoint: 'http://fake.invalid/api', 'admin.secret': FAKE_ADMIN_SECRET, 'boot.ms': '20' },
  credentials: { ...FAKE_USER },
  timeoutMs: 5_000,
  pollIntervalMs: 20,
});

// The function form, as a connector with a simulator uses it, on a connector with no optional
// capability: stop must be UNSUPPORTED, zones may be empty, launch sends no tags, key or user-data.
const teardowns: string[] = [];
describeConformance('fake (no capabilities, function form)', async () => {
  await new Promise((resolve) => setTimeout(resolve, 5)); // "start a simulator"
  return {
    definition: fakeConnector({
      capabilities: { stopStart: false, zones: false, sshKeys: false, userData: false, tags: false },
    }),
    parameters: { endpoint: 'http://fake.invalid/api' },
    credentials: { ...FAKE_USER },
    badCredentials: { key: FAKE_USER.key, secret: 'not-the-secret' },
    launch: { size: 'large' },
    pollIntervalMs: 10,
    teardown: () => {
      teardowns.push('stopped');
    },
  };
});

describe('the function-form target', () => {
  it('was torn down exactly once, after its suite', () => {
    expect(teardowns).toEqual(['stopped']);
  });
});
