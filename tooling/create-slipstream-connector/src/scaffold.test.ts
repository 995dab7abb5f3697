import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScaffoldError } from './errors.js';
import { scaffoldConnector } from './scaffold.js';

const versions = { core: '1.2.3', testkit: '0.4.0', simulators: '0.2.0' };
const repo = new URL('../../../', import.meta.url);
let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'scaffolder-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const read = (dir: string, path: string): Promise<string> => readFile(join(dir, path), 'utf8');

/** Every file below `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** The package docs/connector-guidelines.md describes for a remote-API connector without SSH keys. */
const EMITTED = [
  'package.json',
  'README.md',
  'LICENSE',
  'tsconfig.json',
  'tsup.config.ts',
  '.gitignore',
  'scripts/try-in-server.mjs',
  'src/index.ts',
  'src/connector.ts',
  'src/parameters.ts',
  'src/states.ts',
  'src/session.ts',
  'src/vm.ts',
  'src/catalog.ts',
  'src/context.ts',
  'src/signing.ts',
  'src/client.ts',
  'src/wire.ts',
  'src/errors.ts',
  'src/launch.ts',
  'src/lifecycle.ts',
  'src/waits.ts',
  'src/testing/stand-in-api.ts',
  'src/testing/fixtures.ts',
  'src/conformance.test.ts',
  'src/faults.test.ts',
  'src/signing.test.ts',
];

/**
 * The files of the guidelines' table a remote-API connector must or should have, read from the
 * page itself so that a change there shows here: rows whose first cell is a backquoted file and
 * whose second is MUST or SHOULD, for "all" or "remote" kinds. The key-pair row applies only with
 * `sshKeys: true`, which the scaffold does not declare.
 */
async function guidelineFiles(): Promise<{ files: string[]; sshKeysOnly: string[] }> {
  const page = await readFile(new URL('docs/connector-guidelines.md', repo), 'utf8');
  const files: string[] = [];
  const sshKeysOnly: string[] = [];
  for (const line of page.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const file = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    const required = /^(?:MUST|SHOULD)(?: \(([^)]*)\))?$/.exec(cells[2] ?? '');
    if (file === undefined || required === null) continue;
    const scope = required[1] ?? 'all';
    if (!/\b(all|remote)\b/.test(scope)) continue;
    (scope.includes('sshKeys') ? sshKeysOnly : files).push(file);
  }
  return { files, sshKeysOnly };
}
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
    const onDisk = await filesUnder(dir);
    expect(onDisk.sort()).toEqual([...result.files].sort());
    expect([...result.files].sort()).toEqual([...EMITTED].sort());
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
      '@slipstream/cloud-simulators': '^0.2.0',
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

  it('writes a LICENSE stub for an SPDX license whose text it does not ship, naming it and linking its SPDX page', async () => {
    const { dir, license } = await scaffoldConnector(
      {
        name: 'acme',
        cwd: work,
        license: 'mit OR GPL-2.0-or-later WITH Classpath-exception-2.0',
        year: 2031,
      },
      versions,
    );
    expect(license).toBe('MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0');
    expect((await manifestOf(dir)).license).toBe('MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0');
    const text = await read(dir, 'LICENSE');
    expect(text).toContain('Copyright (c) 2031 [copyright holder]');
    expect(text).toContain('    MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0');
    expect(text).toContain('- MIT: https://spdx.org/licenses/MIT.html');
    expect(text).toContain('- GPL-2.0-or-later: https://spdx.org/licenses/GPL-2.0-or-later.html');
    expect(text).toContain(
      '- Classpath-exception-2.0 (an exception to the license it follows): https://spdx.org/licenses/Classpath-exception-2.0.html',
    );
    expect(text).toContain('TODO: replace this stub with the full text of the license');
    // A stub, not a text it does not have.
    expect(text).not.toContain('Permission is hereby granted');
    const readme = await read(dir, 'README.md');
    expect(readme).toContain(
      'MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0; see [LICENSE](./LICENSE).',
    );
    expect(readme).toContain('SlipStream lists this connector as open source.');
  });

  it('writes an all-rights-reserved LICENSE for UNLICENSED', async () => {
    const { dir } = await scaffoldConnector(
      { name: 'acme', cwd: work, license: 'unlicensed', year: 2031 },
      versions,
    );
    expect((await manifestOf(dir)).license).toBe('UNLICENSED');
    const text = await read(dir, 'LICENSE');
    expect(text).toContain('Copyright (c) 2031 [copyright holder]. All rights reserved.');
    expect(text).toContain('This package is UNLICENSED: no license is granted to anyone.');
    expect(await read(dir, 'README.md')).toContain('SlipStream lists this connector as proprietary');
  });

  it('writes the proprietary terms into the file SEE LICENSE IN names, and publishes that file', async () => {
    const { dir, files } = await scaffoldConnector(
      { name: 'acme', cwd: work, license: 'SEE LICENSE IN TERMS.md', cloud: 'Acme Compute' },
      versions,
    );
    const manifest = await manifestOf(dir);
    expect(manifest.license).toBe('SEE LICENSE IN TERMS.md');
    // npm packs LICENSE files by itself, not TERMS.md.
    expect(manifest.files).toEqual(['dist', 'TERMS.md']);
    expect(files).toContain('TERMS.md');
    expect(files).not.toContain('LICENSE');
    expect(await read(dir, 'TERMS.md')).toContain('slipstream-connector-acme — Proprietary License');
    expect(await read(dir, 'README.md')).toContain('the terms are in [TERMS.md](./TERMS.md)');
  });

  it('writes a @slipstream package with public access, under a name the loader finds', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work, scope: '@slipstream' }, versions);
    expect(dir).toBe(join(work, 'connector-acme'));
    const manifest = await manifestOf(dir);
    expect(manifest.name).toBe('@slipstream/connector-acme');
    expect(manifest.publishConfig).toEqual({ access: 'public' });
    const readme = await read(dir, 'README.md');
    // One story: the package is found by its own name; no install-under-an-alias workaround.
    expect(readme).toContain('finds connector `acme` by its package name, `@slipstream/connector-acme`');
    expect(readme).not.toContain('@npm:');
  });

  it('refuses a scope the loader does not search, writing nothing and naming the package to publish', async () => {
    const error = await failure(scaffoldConnector({ name: 'acme', cwd: work, scope: '@acmecorp' }, versions));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('Scope "@acmecorp" cannot be used');
    expect(error.message).toContain(
      'finds connector "acme" only as @slipstream/connector-acme (SlipStream\'s own) or slipstream-connector-acme',
    );
    expect(error.message).toContain('the package is then named slipstream-connector-acme');
    expect(await readdir(work)).toEqual([]);
  });

  it('says in its README what to do while the @slipstream packages are not on the registry', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work }, versions);
    const readme = await read(dir, 'README.md');
    expect(readme).toContain('### Working from a SlipStream checkout');
    expect(readme).toContain('`npm install` here fails\nwith `E404 Not Found');
    expect(readme).toContain('`--from-checkout <checkout>`');
    expect(readme).toContain('"file:<checkout>/packages/connector-core"');
  });

  it('links the built packages of a checkout with --from-checkout, keeping the peer range', async () => {
    const checkout = fileURLToPath(repo).replace(/\/$/, '');
    const result = await scaffoldConnector({ name: 'acme', cwd: work, fromCheckout: checkout }, versions);
    expect(result.fromCheckout).toBe(checkout);
    const manifest = await manifestOf(result.dir);
    const core = JSON.parse(await readFile(join(checkout, 'packages/connector-core/package.json'), 'utf8'));
    expect(manifest.devDependencies).toMatchObject({
      '@slipstream/connector-core': `file:${join(checkout, 'packages/connector-core')}`,
      '@slipstream/connector-testkit': `file:${join(checkout, 'packages/connector-testkit')}`,
      '@slipstream/cloud-simulators': `file:${join(checkout, 'packages/cloud-simulators')}`,
    });
    // What consumers see does not change: the peer range is the checkout's core, not a link.
    expect(manifest.peerDependencies).toEqual({ '@slipstream/connector-core': `^${core.version}` });
    const readme = await read(result.dir, 'README.md');
    expect(readme).toContain(`point at the SlipStream checkout in \`${checkout}\``);
    expect(readme).not.toContain('E404');
  });

  it('refuses a --from-checkout directory that is not a built SlipStream checkout, writing nothing', async () => {
    const notCheckout = join(work, 'elsewhere');
    await mkdir(notCheckout);
    const error = await failure(
      scaffoldConnector({ name: 'acme', cwd: work, dir: 'out', fromCheckout: 'elsewhere' }, versions),
    );
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain(`--from-checkout ${notCheckout} is not a SlipStream checkout`);
    const unbuilt = join(work, 'unbuilt');
    for (const [name, path] of [
      ['@slipstream/connector-core', 'connector-core'],
      ['@slipstream/connector-testkit', 'connector-testkit'],
      ['@slipstream/cloud-simulators', 'cloud-simulators'],
      ['@slipstream/server', 'server'],
      ['@slipstream/cli', 'cli'],
    ] as const) {
      await mkdir(join(unbuilt, 'packages', path), { recursive: true });
      await writeFile(
        join(unbuilt, 'packages', path, 'package.json'),
        JSON.stringify({ name, version: '1.0.0' }),
      );
    }
    const notBuilt = await failure(
      scaffoldConnector({ name: 'acme', cwd: work, dir: 'out', fromCheckout: unbuilt }, versions),
    );
    expect(notBuilt.message).toContain('packages/connector-core, packages/connector-testkit');
    expect(notBuilt.message).toContain(
      `are not built (no dist/index.js); run \`pnpm install && pnpm build\` in ${unbuilt} first`,
    );
    expect(await readdir(work)).toEqual(['elsewhere', 'unbuilt']);
  });

  it('writes a try-in-server script and the npm script that runs it, ignoring its scratch directory', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work }, versions);
    expect((await manifestOf(dir)).scripts).toMatchObject({
      'try-in-server': 'node scripts/try-in-server.mjs',
    });
    const script = await read(dir, 'scripts/try-in-server.mjs');
    expect(script).toContain("['pack', '--pack-destination', scratch]");
    expect(script).toContain("'config', 'check', connector");
    expect(script).toContain("'server', '--server-dir', scratch");
    expect(await read(dir, '.gitignore')).toContain('.try-in-server/');
    expect(await read(dir, 'README.md')).toContain('### Try it in a server');
  });

  it('holds its src/ to the connector guidelines: every room of a remote-API connector, no other', async () => {
    const { dir, files } = await scaffoldConnector({ name: 'acme-cloud', cwd: work }, versions);
    const { files: rooms, sshKeysOnly } = await guidelineFiles();
    // Sanity: the table was read (a reworded page must not make this test pass vacuously).
    expect(rooms).toEqual(expect.arrayContaining(['index.ts', 'client.ts', 'waits.ts', 'testing/']));
    expect(rooms).not.toContain('cloud.ts');
    expect(sshKeysOnly).toEqual(['keypairs.ts']);
    const sources = files
      .filter((file) => file.startsWith('src/') && !file.endsWith('.test.ts'))
      .map((file) => file.slice('src/'.length).replace(/^testing\/.*$/, 'testing/'));
    expect([...new Set(sources)].sort()).toEqual([...rooms].sort());
    // keypairs.ts is required only with `sshKeys: true`, which the scaffold leaves false.
    expect(await read(dir, 'src/connector.ts')).toMatch(/\bsshKeys: false\b/);
    // Each file's tests sit next to it; the shared suites run against the stand-in API.
    expect(files.filter((file) => file.endsWith('.test.ts')).sort()).toEqual([
      'src/conformance.test.ts',
      'src/faults.test.ts',
      'src/signing.test.ts',
    ]);
  });

  it('names exports after the cloud and exports only the public surface from index.ts', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme-cloud', cwd: work }, versions);
    const index = await read(dir, 'src/index.ts');
    expect(index).toContain('const definition = createAcmeCloudConnector();\nexport default definition;');
    const exported = [...index.matchAll(/^export \{ ([^}]+) \}/gm)].flatMap((match) =>
      (match[1] ?? '').split(',').map((name) => name.trim()),
    );
    expect(exported.sort()).toEqual(
      [
        'ACME_CLOUD_CREDENTIALS',
        'ACME_CLOUD_PARAMETERS',
        'ACME_CLOUD_STATES',
        'createAcmeCloudConnector',
      ].sort(),
    );
    expect(await read(dir, 'src/connector.ts')).toContain(
      'export function createAcmeCloudConnector(): ConnectorDefinition {',
    );
    expect(await read(dir, 'src/connector.ts')).toContain('export const ACME_CLOUD_CAPABILITIES');
    expect(await read(dir, 'src/session.ts')).toContain('export class AcmeCloudSession implements Session');
    expect(await read(dir, 'src/client.ts')).toContain('export class AcmeCloudClient');
    expect(await read(dir, 'src/states.ts')).toContain('export const ACME_CLOUD_STATES');
  });

  it("uses core's shared machinery where the guidelines say so", async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work }, versions);
    expect(await read(dir, 'src/errors.ts')).toMatch(
      /errorCodeForStatus\(response\.status, STATUS_EXCEPTIONS\)/,
    );
    expect(await read(dir, 'src/errors.ts')).toContain(
      'STATUS_EXCEPTIONS: StatusExceptions = Object.freeze({})',
    );
    expect(await read(dir, 'src/launch.ts')).toMatch(/launchIdempotently<Vm, Plan>\(/);
    expect(await read(dir, 'src/launch.ts')).toMatch(/launchTags\(key, index, request\.tags\)/);
    expect(await read(dir, 'src/waits.ts')).toMatch(/await poll\(/);
    expect(await read(dir, 'src/client.ts')).toMatch(/sign: \(outgoing\) => this\.#sign\(outgoing\)/);
    expect(await read(dir, 'src/vm.ts')).toMatch(/readVms\(items, toVm,/);
    expect(await read(dir, 'src/testing/stand-in-api.ts')).toContain('startSimulator(');
  });

  it('marks the places the author must change with TODO(<name>)', async () => {
    const { dir, files } = await scaffoldConnector({ name: 'acme', cwd: work }, versions);
    const marked: string[] = [];
    for (const file of files) if ((await read(dir, file)).includes('TODO(acme)')) marked.push(file);
    expect(marked).toEqual(
      expect.arrayContaining([
        'README.md',
        'src/connector.ts',
        'src/parameters.ts',
        'src/states.ts',
        'src/signing.ts',
        'src/signing.test.ts',
        'src/client.ts',
        'src/wire.ts',
        'src/errors.ts',
        'src/launch.ts',
        'src/waits.ts',
        'src/testing/stand-in-api.ts',
      ]),
    );
  });

  it('makes identifiers of names that start with a digit', async () => {
    const { dir } = await scaffoldConnector({ name: '9-cloud', cwd: work }, versions);
    const index = await read(dir, 'src/index.ts');
    expect(index).toContain('createCloud9CloudConnector');
    expect(index).toContain('CLOUD_9_CLOUD_PARAMETERS');
    expect(await read(dir, 'src/connector.ts')).toContain("name: '9-cloud',");
  });

  it('puts name, cloud and README sections where they belong', async () => {
    const { dir } = await scaffoldConnector({ name: 'acme', cwd: work, cloud: 'Acme Compute' }, versions);
    const connector = await read(dir, 'src/connector.ts');
    expect(connector).toContain("name: 'acme',");
    expect(connector).toContain("cloud: 'Acme Compute',");
    expect(await read(dir, 'src/conformance.test.ts')).toContain("describeConformance('acme'");
    expect(await read(dir, 'src/faults.test.ts')).toContain("describeFaults('acme'");
    const readme = await read(dir, 'README.md');
    for (const section of [
      '# slipstream-connector-acme',
      '## Install',
      '## Instance parameters',
      '## Credentials',
      '## State mapping',
      '## Errors',
      '## Development',
      '## License',
    ]) {
      expect(readme).toContain(section);
    }
    expect(readme).toContain('**Acme Compute**');
    expect(readme).toContain('docs/connector-guidelines.md');
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
