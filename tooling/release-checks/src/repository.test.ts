import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkChangesets } from './changesets.js';
import { formatFailures } from './failure.js';
import { checkPackages } from './package-checks.js';
import { publishablePackages } from './workspace.js';

// The checks on this repository itself: what CI refuses to release.
const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('this repository', () => {
  it('has every publishable package packed clean: publint, attw, license, LICENSE, core peer range, no workspace:', async () => {
    const result = await checkPackages(root);
    expect(result.packages.length).toBeGreaterThan(0);
    // The message lists every failure with its fix, so a red CI says what to do.
    expect(result.failures, formatFailures(result.failures)).toEqual([]);
  }, 120_000);

  it('has a pending changeset for every publishable package changed since its last release', async () => {
    const result = await checkChangesets(root);
    expect(result.failures, formatFailures(result.failures)).toEqual([]);
  }, 60_000);

  it("builds every publishable package before this package's tests (turbo.json lists each build)", async () => {
    const turbo = JSON.parse(await readFile(new URL('../turbo.json', import.meta.url), 'utf8')) as {
      tasks: { test: { dependsOn: string[] } };
    };
    const builds = (await publishablePackages(root)).map((pkg) => `${pkg.name}#build`);
    expect(
      turbo.tasks.test.dependsOn.sort(),
      'add the missing builds to tooling/release-checks/turbo.json',
    ).toEqual(builds.sort());
  }, 120_000);
});
