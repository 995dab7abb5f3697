import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { slipstreamVersions, TOOLCHAIN } from './versions.js';

const repo = new URL('../../../', import.meta.url);
const readJson = async (path: string): Promise<Record<string, Record<string, string>>> =>
  JSON.parse(await readFile(new URL(path, repo), 'utf8'));

describe('dependency versions of generated packages', () => {
  it('pins the toolchain to the ranges the repository builds with', async () => {
    const root = await readJson('package.json');
    for (const [name, range] of Object.entries(TOOLCHAIN)) {
      expect(range, `${name} in versions.ts vs the root package.json`).toBe(root.devDependencies?.[name]);
    }
  });

  it('reads core, testkit and simulators from the workspace while the manifest says workspace:', async () => {
    const core = await readJson('packages/connector-core/package.json');
    const testkit = await readJson('packages/connector-testkit/package.json');
    const simulators = await readJson('packages/cloud-simulators/package.json');
    expect(slipstreamVersions()).toEqual({
      core: core.version,
      testkit: testkit.version,
      simulators: simulators.version,
    });
  });

  it('reads them from the ranges pnpm writes into the published manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffolder-versions-'));
    try {
      const manifest = join(dir, 'package.json');
      await writeFile(
        manifest,
        JSON.stringify({
          devDependencies: {
            '@slipstream/connector-core': '^1.4.2',
            '@slipstream/connector-testkit': '0.3.0-next.1',
            '@slipstream/cloud-simulators': '~0.5.1',
          },
        }),
      );
      expect(slipstreamVersions(pathToFileURL(manifest))).toEqual({
        core: '1.4.2',
        testkit: '0.3.0-next.1',
        simulators: '0.5.1',
      });
      await writeFile(
        manifest,
        JSON.stringify({ devDependencies: { '@slipstream/connector-core': '^1.0.0' } }),
      );
      expect(() => slipstreamVersions(pathToFileURL(manifest))).toThrow(
        /does not list @slipstream\/connector-testkit/,
      );
      await writeFile(
        manifest,
        JSON.stringify({
          devDependencies: {
            '@slipstream/connector-core': '^1.0.0',
            '@slipstream/connector-testkit': '^1.0.0',
          },
        }),
      );
      expect(() => slipstreamVersions(pathToFileURL(manifest))).toThrow(
        /does not list @slipstream\/cloud-simulators/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
