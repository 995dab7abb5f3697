import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAKE_USER, type Quirk } from './testing/fake-connector.js';

/**
 * The suite must not only pass a good connector: it must fail a broken one, in the right check,
 * with a message that says what to fix. A child vitest runs the suite on one fake connector per
 * broken rule (testing/broken.fixture.ts); this file reads its JSON report.
 */

interface AssertionResult {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const results = new Map<string, AssertionResult[]>();

beforeAll(async () => {
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const dir = await mkdtemp(join(tmpdir(), 'conformance-'));
  const report = join(dir, 'report.json');
  try {
    await promisify(execFile)(
      process.execPath,
      [
        vitest,
        'run',
        '--config',
        'src/testing/fixture.vitest.config.ts',
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { cwd: packageDir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    ).catch((error: { code?: unknown; stderr?: string; stdout?: string }) => {
      // vitest exits 1 when tests fail, which they must here; anything else is a broken run.
      if (error.code !== 1)
        throw new Error(`The child vitest failed:\n${error.stderr ?? ''}`, { cause: error });
    });
    const json = JSON.parse(await readFile(report, 'utf8')) as {
      testResults: { assertionResults: AssertionResult[]; message?: string }[];
    };
    for (const result of json.testResults.flatMap((file) => file.assertionResults)) {
      const suite = (result.ancestorTitles[0] ?? '').replace(/ connector conformance$/, '');
      results.set(suite, [...(results.get(suite) ?? []), result]);
    }
    if (results.size === 0) {
      throw new Error(
        `The child vitest ran no test: ${json.testResults.map((file) => file.message).join('\n')}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

/** The checks of one suite that failed, each with its failure message. */
function failures(suite: string): Map<string, string> {
  const all = results.get(suite);
  if (!all) throw new Error(`No results for suite "${suite}"`);
  expect(all).toHaveLength(26);
  return new Map(
    all.filter((r) => r.status !== 'passed').map((r) => [r.title, r.failureMessages.join('\n')]),
  );
}

/** Asserts exactly the checks whose titles contain `expected` keys failed, each message containing its value. */
function expectFailures(suite: string, expected: Record<string, string>): void {
  const failed = failures(suite);
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
    expect(failed.size).toBe(26);
    for (const message of failed.values()) expect(message).toContain('the simulator did not start');
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
