import { beforeAll, describe, expect, it } from 'vitest';
import { type AssertionResult, failuresOf, runChildVitest } from './testing/child-vitest.js';
import { FAKE_USER, type Quirk } from './testing/fake-connector.js';

/**
 * The suite must not only pass a good connector: it must fail a broken one, in the right check,
 * with a message that says what to fix. A child vitest runs the suite on one fake connector per
 * broken rule (testing/broken.fixture.ts); this file reads its JSON report.
 */

let results = new Map<string, AssertionResult[]>();

beforeAll(async () => {
  results = await runChildVitest('src/testing/fixture.vitest.config.ts');
}, 120_000);

/** The checks of one describeConformance suite that failed, each with its failure message. */
function failures(suite: string, count = 27): Map<string, string> {
  return failuresOf(results, suite, count);
}

/** Asserts exactly the checks whose titles contain `expected` keys failed, each message containing its value. */
function expectFailures(suite: string, expected: Record<string, string>, count = 27): void {
  const failed = failures(suite, count);
  const matched = [...failed.keys()].map((title) => Object.keys(expected).find((key) => title.includes(key)));
  expect(
    [...failed.keys()].filter((_, i) => matched[i] === undefined),
    'checks that failed unexpectedly',
  ).toEqual([]);
  for (const [key, message] of Object.entries(expected)) {
    const entry = [...failed].find(([title]) => title.includes(key));
    expect(entry, `the check "${key}" should fail`).toBeDefined();
    expect(entry?.[1]).toContain(message);
  }
}

const VM_CHECKS = [
  'describe() lists',
  'returns exactly that VM',
  'made for the call',
  'same idempotency key',
  'stops and starts',
  'mid-wait',
  'terminates the VM',
];

const EXPECTED: Record<Quirk, Record<string, string>> = {
  plainPasswordCredential: {
    'marks every secret credential': 'credential "password" looks secret but is not marked',
  },
  functionInSpec: { 'plain JSON data': 'parameters[4].validate is a function' },
  badStateTable: {
    checkDefinition: '"states.REBOOTING" maps to "rebooting"',
    'normalized states': 'native state "REBOOTING" maps to "rebooting"',
  },
  wrongContract: { 'implements contract': 'definition.contract is 2' },
  acceptAnyCredentials: {
    'rejects bad credentials':
      'checkCredentials with bad credentials should fail AUTH_FAILED, but it succeeded',
  },
  noAddresses: { 'launches one VM': 'is running but has no address' },
  ignoreTags: { 'launches one VM': 'tag "conformance" is undefined, expected "true"' },
  sharedTags: { 'made for the call': 'returned the same tags object(s)' },
  ignoreIdempotency: { 'same idempotency key': "must return the first call's VM" },
  describeUnknownThrows: {
    'describe({ ids: [unknown] })':
      'must return [] for an id the cloud does not know, but it failed NOT_FOUND',
  },
  terminateUnknownSucceeds: { 'terminate([unknown])': 'should fail NOT_FOUND, but it succeeded' },
  terminateTwiceFails: { 'terminates the VM': 'Terminating an already terminated VM must succeed' },
  leakExpectedSecret: {
    'never shows a secret':
      'the value of credential "secret" (al… (18 characters)) appears in message of the AUTH_FAILED error',
  },
  logSecret: {
    'never shows a secret': 'the value of credential "secret" (al… (18 characters)) appears in log entry',
  },
  launchFails: {
    'launches one VM': 'QUOTA_EXCEEDED: The fake cloud is full.',
    ...Object.fromEntries(VM_CHECKS.map((check) => [check, 'launch failed earlier'])),
  },
  neverRuns: {
    'launches one VM': 'did not reach "running" within 300 ms',
    'stops and starts': 'never reached running earlier',
    'mid-wait': 'never reached running earlier',
  },
};

describe('the conformance suite on broken connectors', () => {
  for (const [quirk, expected] of Object.entries(EXPECTED)) {
    it(`fails exactly the right checks for ${quirk}`, () => {
      expectFailures(quirk, expected);
    });
  }

  it('never prints a leaked secret itself', () => {
    for (const suite of ['leakExpectedSecret', 'logSecret']) {
      for (const message of failures(suite).values()) expect(message).not.toContain(FAKE_USER.secret);
    }
  });

  it('fails every check, saying why, when the target function throws', () => {
    const failed = failures('targetThrows');
    expect(failed.size).toBe(27);
    for (const message of failed.values()) expect(message).toContain('the simulator did not start');
  });

  it('fails the secrets suite run on its own, from the errors and logs it provokes itself', () => {
    expectFailures(
      'leakExpectedSecret, secrets alone',
      {
        'never shows a secret':
          'the value of credential "secret" (al… (18 characters)) appears in message of the AUTH_FAILED error',
      },
      1,
    );
    expectFailures(
      'logSecret, secrets alone',
      {
        'never shows a secret': 'the value of credential "secret" (al… (18 characters)) appears in log entry',
      },
      1,
    );
    expect(results.get('leakExpectedSecret, secrets alone')?.[0]?.ancestorTitles).toEqual([
      'leakExpectedSecret, secrets alone connector conformance',
      'secrets',
    ]);
  });

  it('runs one suite on its own: the catalog alone, all three checks passing', () => {
    expect(failures('catalog alone', 3)).toEqual(new Map());
    expect(results.get('catalog alone')?.map((r) => r.ancestorTitles[1])).toEqual([
      'catalog',
      'catalog',
      'catalog',
    ]);
  });

  it('fails only the checks that need a launched VM when the lifecycle runs alone on a failing launch', () => {
    expectFailures(
      'launchFails, lifecycle alone',
      {
        'launches one VM': 'QUOTA_EXCEEDED: The fake cloud is full.',
        ...Object.fromEntries(VM_CHECKS.map((check) => [check, 'launch failed earlier'])),
      },
      8,
    );
  });

  it('says which parameters failed when the instance cannot be created', () => {
    const failed = failures('missingParameter');
    expect(failed.get('creates an instance from the given parameters')).toContain(
      'Parameter "endpoint" (Endpoint) is required',
    );
    // Checks that need no instance still run.
    expect([...failed.keys()].some((title) => title.includes('checkDefinition'))).toBe(false);
  });
});
