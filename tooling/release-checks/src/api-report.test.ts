import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiEntries, apiReport } from './api-report.js';
import { publishablePackages } from './workspace.js';

/**
 * Each publishable package's public API, held to the report committed in its `api/` folder. A
 * change to a public surface fails here until the report is updated (`pnpm test -- -u` in
 * tooling/release-checks, or `vitest run -u` from the root), so that the change shows in review.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const packages = await publishablePackages(root);

describe('public APIs', () => {
  it('are reported for every publishable package', () => {
    expect(packages.map((pkg) => pkg.name)).toContain('@slipstream/connector-core');
  });

  it('are reported per entry with types, a subpath under its own name', async () => {
    const entries = await apiEntries(join(root, 'packages/connector-openstack'));
    expect(entries.map((entry) => [entry.subpath, entry.name])).toEqual([
      ['.', 'index'],
      ['./extend', 'extend'],
    ]);
  });

  for (const pkg of packages) {
    it(`of ${pkg.name} are the committed ones`, async () => {
      const entries = await apiEntries(pkg.path);
      expect(entries.length, `${pkg.dir}/package.json exports no entry with "types"`).toBeGreaterThan(0);
      for (const entry of entries) {
        const report = await apiReport(pkg.path, entry);
        await expect(report).toMatchFileSnapshot(join(pkg.path, 'api', `${entry.name}.api.md`));
      }
    }, 120_000);
  }
});
