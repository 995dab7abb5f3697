import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackage } from './package-checks.js';
import type { WorkspacePackage } from './workspace.js';

const core = { name: '@slipstream/connector-core', version: '1.0.0' };
let dir: string;

async function fixture(name: string, files: Record<string, string>): Promise<WorkspacePackage> {
  const path = join(dir, name.replace(/[@/]/g, '_'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(path, file)), { recursive: true });
    await writeFile(join(path, file), text);
  }
  return { name, version: '0.1.0', path, dir: `packages/${name.split('/').pop()}` };
}

const manifest = (name: string, fields: Record<string, unknown>): string =>
  JSON.stringify({
    name,
    version: '0.1.0',
    description: 'fixture',
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
      './package.json': './package.json',
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist'],
    engines: { node: '>=20.18.1' },
    ...fields,
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'release-checks-packages-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkPackage (pnpm pack, then every check on the tarball)', () => {
  it('passes a clean ESM connector package', async () => {
    const name = '@slipstream/connector-opennebula';
    const pkg = await fixture(name, {
      'package.json': manifest(name, {
        license: 'Apache-2.0',
        peerDependencies: { [core.name]: '^1.0.0' },
      }),
      LICENSE: await readFile(new URL('../../../LICENSE', import.meta.url), 'utf8'),
      'dist/index.js': 'export const connector = { name: "opennebula" };\n',
      'dist/index.d.ts': 'export declare const connector: { name: string };\n',
    });
    const out = await mkdtemp(join(dir, 'out-'));
    expect(await checkPackage(pkg, core, out)).toEqual([]);
  }, 120_000);

  it('reports each broken check of a package, naming it, with a fix', async () => {
    const name = '@slipstream/connector-vcloud';
    const pkg = await fixture(name, {
      'package.json': manifest(name, {
        license: 'MIT',
        peerDependencies: { [core.name]: '^2.0.0' },
        // Types only through the legacy "types" field: ESM resolution finds none beside index.js.
        exports: { '.': { import: './dist/index.js' } },
        types: './dist/types.d.ts',
      }),
      'dist/index.js': 'export default 1;\n',
      'dist/types.d.ts': 'declare const x: number;\nexport default x;\n',
    });
    const out = await mkdtemp(join(dir, 'out-'));
    const failures = await checkPackage(pkg, core, out);
    const checks = failures.map((failure) => failure.check);
    expect(checks).toEqual(
      expect.arrayContaining(['LICENSE file', 'license', 'core peer dependency', 'attw']),
    );
    expect(checks.some((check) => check.startsWith('publint'))).toBe(true);
    for (const failure of failures) {
      expect(failure.package).toBe(name);
      expect(failure.fix.length).toBeGreaterThan(10);
    }
  }, 120_000);

  it('reports a package packed before it was built, once, instead of every check that follows from it', async () => {
    const name = '@slipstream/connector-aws';
    const pkg = await fixture(name, {
      'package.json': manifest(name, {
        license: 'SEE LICENSE IN LICENSE',
        peerDependencies: { [core.name]: '^1.0.0' },
      }),
      LICENSE: await readFile(
        new URL('../../../packages/connector-exoscale/LICENSE', import.meta.url),
        'utf8',
      ),
      'src/index.ts': 'export {};\n',
    });
    const out = await mkdtemp(join(dir, 'out-'));
    expect(await checkPackage(pkg, core, out)).toEqual([
      expect.objectContaining({ package: name, check: 'built' }),
    ]);
  }, 120_000);

  it('reports a folder pnpm cannot pack', async () => {
    const pkg = await fixture('@slipstream/connector-broken', { 'package.json': '{ not json' });
    const out = await mkdtemp(join(dir, 'out-'));
    const failures = await checkPackage(pkg, core, out);
    expect(failures).toEqual([
      expect.objectContaining({ package: '@slipstream/connector-broken', check: 'pack' }),
    ]);
    expect(failures[0]?.problem).toContain('pnpm pack failed in packages/connector-broken');
  }, 120_000);
});
