import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** One test of the child run, as vitest's JSON reporter gives it. */
export interface AssertionResult {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs a child vitest with `config` (relative to the package) and returns its tests grouped by
 * suite: the top describe's title without " connector conformance" or " connector faults". The
 * suites of the child are meant to fail (they run on broken connectors), so that vitest exits 1
 * is expected; any other exit, or a run without tests, is an error.
 */
export async function runChildVitest(config: string): Promise<Map<string, AssertionResult[]>> {
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const dir = await mkdtemp(join(tmpdir(), 'conformance-'));
  const report = join(dir, 'report.json');
  const results = new Map<string, AssertionResult[]>();
  try {
    await promisify(execFile)(
      process.execPath,
      [vitest, 'run', '--config', config, '--reporter=json', `--outputFile=${report}`],
      { cwd: packageDir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    ).catch((error: { code?: unknown; stderr?: string; stdout?: string }) => {
      if (error.code !== 1)
        throw new Error(`The child vitest failed:\n${error.stderr ?? ''}`, { cause: error });
    });
    const json = JSON.parse(await readFile(report, 'utf8')) as {
      testResults: { assertionResults: AssertionResult[]; message?: string }[];
    };
    for (const result of json.testResults.flatMap((file) => file.assertionResults)) {
      const suite = (result.ancestorTitles[0] ?? '').replace(/ connector (conformance|faults)$/, '');
      results.set(suite, [...(results.get(suite) ?? []), result]);
    }
    if (results.size === 0) {
      throw new Error(
        `The child vitest ran no test: ${json.testResults.map((file) => file.message).join('\n')}`,
      );
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The tests of `suite` that did not pass, each with its failure message; fails when the suite has not `count` tests. */
export function failuresOf(
  results: ReadonlyMap<string, readonly AssertionResult[]>,
  suite: string,
  count: number,
): Map<string, string> {
  const all = results.get(suite);
  if (!all) throw new Error(`No results for suite "${suite}"`);
  if (all.length !== count) throw new Error(`Suite "${suite}" ran ${all.length} tests, expected ${count}`);
  return new Map(
    all.filter((r) => r.status !== 'passed').map((r) => [r.title, r.failureMessages.join('\n')]),
  );
}
