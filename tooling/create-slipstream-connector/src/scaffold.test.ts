import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScaffoldError } from './errors.js';
import { scaffoldConnector } from './scaffold.js';

const versions = { core: '1.2.3', testkit: '0.4.0' };
const repo = new URL('../../../', import.meta.url);
let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'scaffolder-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const read = (dir: string, path: string): Promise<string> => readFile(join(dir, path), 'utf8');
interface Manifest {
  readonly [field: string]: unknown;
  readonly exports: Record<string, Record<string, string>>;
  readonly peerDependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}
const manifestOf = async (dir: string): Promise<Manifest> => JSON.parse(await read(dir, 'package.json'));

async function failure(promise: Promise<unknown>): Promise<ScaffoldError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ScaffoldError);
  return error as ScaffoldError;
}

describe('scaffoldConnector', () => {
  it('writes a complete Apache-2.0 package named slipstream-connector-<name>', async () => {
    const result = await scaffoldConnector({ name: 'acme-cloud', cwd: work }, versions);
    const dir = join(work, 'slipstream-connector-acme-cloud');
    expect(result).toMatchObject({
      dir,
      packageName: 'slipstream-connector-acme-cloud',
      connector: 'acme-cloud',
      cloud: 'Acme Cloud',
      license: 'Apache-2.0',
    });
    const onDisk = [
      ...(await readdir(dir)),
      ...(await readdir(join(dir, 'src'))).map((file) => `src/${file}`),
    ];
    expect(onDisk.filter((entry) => entry !== 'src').sort()).toEqual([...result.files].sort());
    expect(result.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'LICENSE',
        'README.md',
        'tsconfig.json',
        'tsup.config.ts',
        '.gitignore',
        'src/index.ts',
        'src/conformance.test.ts',
      ]),
    );
    for (const file of result.files) expect(await read(dir, file), file).not.toMatch(/\{\{\w+\}\}/);
  });

  it('writes the manifest a connector package needs', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme-cloud', cwd: work }, versions);
    const manifest = await manifestOf(dir);
    expect(manifest.name).toBe('slipstream-connector-acme-cloud');
    expect(manifest.keywords).toEqual(
      expect.arrayContaining(['slipstream', 'slipstream-connector', 'acme-cloud']),
    );
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.type).toBe('module');
    // Types first: TypeScript stops at the first matching condition.
    expect(Object.keys(manifest.exports['.'] ?? {})).toEqual(['types', 'import']);
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(manifest.files).toEqual(['dist']);
    expect(manifest.peerDependencies).toEqual({ '@slipstream/connector-core': '^1.2.3' });
    expect(manifest.devDependencies).toMatchObject({
      '@slipstream/connector-core': '^1.2.3',
      '@slipstream/connector-testkit': '^0.4.0',
    });
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.publishConfig).toBeUndefined();
  });

  it('uses the repository toolchain versions and the current core as peer range', async () => {
    const root = JSON.parse(await readFile(new URL('package.json', repo), 'utf8'));
    const core = JSON.parse(await readFile(new URL('packages/connector-core/package.json', repo), 'utf8'));
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work });
    const manifest = await manifestOf(dir);
    for (const tool of ['vitest', 'typescript', 'tsup']) {
      expect(manifest.devDependencies[tool], tool).toBe(root.devDependencies[tool]);
    }
    const range = manifest.peerDependencies['@slipstream/connector-core'] ?? '';
    const [major = 0, minor = 0, patch = 0] = core.version.split('.').map(Number);
    const [lowMajor = -1, lowMinor = 0, lowPatch = 0] = range.replace('^', '').split('.').map(Number);
    // A caret range contains the version when it has the same major and is at or above the floor.
    expect(range.startsWith('^')).toBe(true);
    expect(lowMajor).toBe(major);
    expect(minor * 1e6 + patch).toBeGreaterThanOrEqual(lowMinor * 1e6 + lowPatch);
  });

  it('copies the Apache LICENSE text of the existing packages', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work }, versions);
    const local = await readFile(new URL('packages/connector-local/LICENSE', repo), 'utf8');
    expect(await read(dir, 'LICENSE')).toBe(local);
    expect(await read(dir, 'README.md')).toContain('Apache-2.0; see [LICENSE](./LICENSE).');
  });

  it('writes a proprietary package: "SEE LICENSE IN LICENSE" and a proprietary LICENSE to complete', async () => {
    const { dir, license } = await scaffoldConnector(
      { name: 'acme', cwd: work, license: 'proprietary', cloud: 'Acme Compute', year: 2031 },
      versions,
    );
    expect(license).toBe('SEE LICENSE IN LICENSE');
    expect((await manifestOf(dir)).license).toBe('SEE LICENSE IN LICENSE');
    const text = await read(dir, 'LICENSE');
    expect(text).toContain('slipstream-connector-acme — Proprietary License');
    expect(text).toContain('Copyright (c) 2031 [copyright holder]');
    expect(text).toContain('Acme Compute');
    expect(text).not.toContain('Apache License');
    expect(await read(dir, 'README.md')).toContain('Proprietary');
  });

  it('writes a scoped package with public access and the install alias in its README', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work, scope: '@acme' }, versions);
    expect(dir).toBe(join(work, 'connector-acme'));
    const manifest = await manifestOf(dir);
    expect(manifest.name).toBe('@acme/connector-acme');
    expect(manifest.publishConfig).toEqual({ access: 'public' });
    expect(await read(dir, 'README.md')).toContain(
      'npm install slipstream-connector-acme@npm:@acme/connector-acme',
    );
  });

  it('puts name, cloud and README sections where they belong', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work, cloud: 'Acme Compute' }, versions);
    const index = await read(dir, 'src/index.ts');
    expect(index).toContain("name: 'acme',");
    expect(index).toContain("cloud: 'Acme Compute',");
    expect(await read(dir, 'src/conformance.test.ts')).toContain("describeConformance('acme'");
    const readme = await read(dir, 'README.md');
    for (const section of [
      '# slipstream-connector-acme',
      '## Install',
      '## Instance parameters',
      '## Credentials',
      '## State mapping',
      '## Errors',
      '## License',
    ]) {
      expect(readme).toContain(section);
    }
    expect(readme).toContain('**Acme Compute**');
  });

  it('writes into an existing empty directory', async () => {
    const dir = join(work, 'empty');
    await mkdir(dir);
    const result = await scaffoldConnector({ name: 'acme', dir, cwd: work }, versions);
    expect(result.dir).toBe(dir);
    expect(await readdir(dir)).toContain('package.json');
  });

  it('refuses a target that is not empty, naming it, and writes nothing', async () => {
    const dir = join(work, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const error = await failure(scaffoldConnector({ name: 'acme', dir: 'busy', cwd: work }, versions));
    expect(error.code).toBe('TARGET_NOT_EMPTY');
    expect(error.message).toContain(dir);
    expect(error.message).toContain('notes.txt');
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('refuses a target that is a file', async () => {
    await writeFile(join(work, 'file'), 'x');
    const error = await failure(scaffoldConnector({ name: 'acme', dir: 'file', cwd: work }, versions));
    expect(error.code).toBe('TARGET_NOT_EMPTY');
    expect(error.message).toContain('is not a directory');
  });

  it('writes nothing for invalid options', async () => {
    const error = await failure(scaffoldConnector({ name: 'Not Valid', cwd: work }, versions));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('"Not Valid"');
    expect(await readdir(work)).toEqual([]);
  });

  it('reports a write failure and leaves nothing behind', async () => {
    // A dangling symlink: the target looks absent, but nothing can be created through it.
    const dir = join(work, 'dangling');
    await symlink(join(work, 'missing', 'target'), dir);
    const error = await failure(scaffoldConnector({ name: 'acme', dir, cwd: work }, versions));
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.message).toContain(dir);
    expect(await readdir(work)).toEqual([]);
  });
});
