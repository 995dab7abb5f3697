import { beforeAll, describe, expect, it } from 'vitest';
import { type AssertionResult, failuresOf, runChildVitest } from './testing/child-vitest.js';
import { FAKE_CLOUD_USER } from './testing/fake-cloud.js';
import type { FaultQuirk } from './testing/fake-http-connector.js';

/**
 * The fault suite must fail a connector that misbehaves under faults, in the right check, saying
 * what to fix. A child vitest runs it on one broken connector per quirk (testing/faults*.fixture.ts).
 */

const CHECKS = 8;
let results = new Map<string, AssertionResult[]>();

beforeAll(async () => {
  results = await runChildVitest('src/testing/faults-fixture.vitest.config.ts');
}, 120_000);

const EXPECTED: Record<FaultQuirk, Record<string, string>> = {
  noRetryOn503: {
    'transient 503': 'failed CLOUD_UNAVAILABLE: The fake cloud is unavailable. after a single 503',
  },
  dropRetryAfter: { 'throttling does not clear': 'has retryAfterMs undefined, expected 120000' },
  retryCreateBlindly: { 'create is lost': 'describe() shows 2 VMs named' },
  emptyOnMalformed: { 'not valid JSON': 'should fail CLOUD_ERROR, but it succeeded' },
  authAsCloudError: { 'wrong secret': 'should fail AUTH_FAILED, but failed CLOUD_ERROR' },
  logSecret: {
    'never shows a secret': 'the value of credential "secret" (bo… (19 characters)) appears in log entry',
  },
  ignoreTimeout: { 'does not answer in time': 'had no answer after 5000 ms, 10 times the request timeout' },
};

describe('the fault suite on broken connectors', () => {
  for (const [quirk, expected] of Object.entries(EXPECTED)) {
    it(`fails exactly the right check for ${quirk}`, () => {
      const failed = failuresOf(results, quirk, CHECKS);
      expect(
        [...failed.keys()].filter((title) => !Object.keys(expected).some((key) => title.includes(key))),
      ).toEqual([]);
      for (const [key, message] of Object.entries(expected)) {
        const entry = [...failed].find(([title]) => title.includes(key));
        expect(entry, `the check "${key}" should fail`).toBeDefined();
        expect(entry?.[1]).toContain(message);
      }
    });
  }

  it('never prints the leaked secret itself', () => {
    for (const message of failuresOf(results, 'logSecret', CHECKS).values()) {
      expect(message).not.toContain(FAKE_CLOUD_USER.secret);
    }
  });

  it('fails every check, saying what is missing, for a target without control or operations', () => {
    const failed = failuresOf(results, 'targetWithoutControl', CHECKS);
    expect(failed.size).toBe(CHECKS);
    for (const message of failed.values()) {
      expect(message).toContain('"control" must be the test cloud\'s fault control');
      expect(message).toContain('"operations.list" must be');
    }
  });
});
