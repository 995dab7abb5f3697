import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../command.js';
import { type FakePackage, type FakeRegistry, startFakeRegistry } from '../testing/fake-registry.js';
import { cli, json } from '../testing/io.js';

/** A real package tarball made with `npm pack`, with the digests a packument carries. */
async function packConnector(root: string, name: string, version: string): Promise<FakePackage> {
  const dir = join(root, 'src', name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name, version, license: 'MIT', type: 'module', exports: './index.js' }),
  );
  await writeFile(
    join(dir, 'index.js'),
    `export default { name: '${name.replace('slipstream-connector-', '')}', contract: 1 };\n`,
  );
  const file = execFileSync('npm', ['pack', '--pack-destination', root, '--json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const [{ filename }] = JSON.parse(file) as [{ filename: string }];
  const tarball = await readFile(join(root, filename));
  return {
    name,
    version,
    license: 'MIT',
    tarball,
    integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
    shasum: createHash('sha1').update(tarball).digest('hex'),
  };
}

function snapshot(dir: string): { manifest: string; modules: string[] } {
  const modules = join(dir, 'node_modules');
  return {
    manifest: readFileSync(join(dir, 'package.json'), 'utf8'),
    modules: existsSync(modules) ? readdirSync(modules).sort() : [],
  };
}

describe('slipstream connectors add / remove', () => {
  let root: string;
  let serverDir: string;
  let registry: FakeRegistry;
  let env: Record<string, string>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipstream-install-'));
    const packages = [
      await packConnector(root, 'slipstream-connector-acme', '1.0.0'),
      await packConnector(root, 'slipstream-connector-beta', '0.1.0'),
    ];
    registry = await startFakeRegistry(packages, { keywords: true });
    serverDir = join(root, 'server');
    await mkdir(serverDir);
    await writeFile(
      join(serverDir, 'package.json'),
      `${JSON.stringify({ name: 'server', private: true }, null, 2)}\n`,
    );
    // npm talks to the fake registry only, with its own cache, and asks nothing else (audit, fund).
    env = {
      npm_config_registry: registry.url,
      npm_config_cache: join(root, 'cache'),
      npm_config_userconfig: join(root, 'no-npmrc'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_fetch_retries: '0',
    };
  }, 60_000);
  afterAll(async () => {
    await registry.close();
    await rm(root, { recursive: true, force: true });
  });

  it('installs a package with npm, shows progress and says to restart', async () => {
    const run = await cli(['connectors', 'add', 'slipstream-connector-acme', '--server-dir', serverDir], {
      env,
    });
    expect(run.stderr).toContain(
      `Installing slipstream-connector-acme (npm install slipstream-connector-acme in ${serverDir})...`,
    );
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain('Installed slipstream-connector-acme with npm');
    expect(run.stdout).toContain('Restart the server to load it.');
    const manifest = JSON.parse(await readFile(join(serverDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ 'slipstream-connector-acme': '^1.0.0' });

    const listed = await cli(['connectors', 'list', '--server-dir', serverDir, '--json'], { env });
    expect(json(listed).connectors).toEqual([
      expect.objectContaining({ package: 'slipstream-connector-acme', version: '1.0.0', contract: 1 }),
    ]);
  }, 60_000);

  it('leaves package.json and node_modules unchanged when a package is not found', async () => {
    const before = snapshot(serverDir);
    const run = await cli(
      [
        'connectors',
        'add',
        'slipstream-connector-beta',
        'slipstream-connector-nope',
        '--server-dir',
        serverDir,
        '--json',
      ],
      { env },
    );
    expect(run.status).toBe(EXIT.EXTERNAL);
    const error = json(run).error as { code: string; message: string };
    expect(error.code).toBe('PACKAGE_MANAGER_FAILED');
    expect(error.message).toContain('npm install slipstream-connector-beta slipstream-connector-nope failed');
    expect(error.message).toMatch(/E404|404 Not Found/);
    expect(snapshot(serverDir)).toEqual(before);
    expect(existsSync(join(serverDir, 'node_modules', 'slipstream-connector-beta'))).toBe(false);
  }, 60_000);

  it('removes a connector by its connector name and says to restart', async () => {
    const run = await cli(['connectors', 'remove', 'acme', '--server-dir', serverDir], { env });
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain('Removed slipstream-connector-acme with npm');
    expect(run.stdout).toContain('Restart the server to unload it.');
    expect(existsSync(join(serverDir, 'node_modules', 'slipstream-connector-acme'))).toBe(false);
    const manifest = JSON.parse(await readFile(join(serverDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
  }, 60_000);

  it('refuses an unknown connector name with a suggestion, running nothing', async () => {
    const requests = registry.requests.length;
    const run = await cli(['connectors', 'add', 'cloudstak', '--server-dir', serverDir], { env });
    expect(run.status).toBe(EXIT.USAGE);
    expect(run.stderr).toContain('unknown connector "cloudstak"; did you mean "cloudstack"?');
    expect(run.stderr).toContain('slipstream-connector-cloudstak');
    expect(registry.requests.length).toBe(requests);
  });

  it('refuses names that are not package names and a missing name', async () => {
    const bad = await cli(['connectors', 'add', '@slipstream/../../etc', '--server-dir', serverDir], { env });
    expect(bad.status).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain('"@slipstream/../../etc" is not a valid package name');
    const none = await cli(['connectors', 'remove', '--server-dir', serverDir], { env });
    expect(none.status).toBe(EXIT.USAGE);
    expect(none.stderr).toContain('missing at least one connector or package name');
  });

  it('refuses packages the loader would not load, so that it never removes the server itself', async () => {
    const before = snapshot(serverDir);
    const requests = registry.requests.length;
    for (const [operation, name] of [
      ['remove', '@slipstream/server'],
      ['remove', '@slipstream/connector-core'],
      ['add', 'lodash@4'],
      ['add', '@evil/pkg'],
    ] as const) {
      const run = await cli(['connectors', operation, name, '--server-dir', serverDir], { env });
      expect(run.status).toBe(EXIT.USAGE);
      expect(run.stderr).toContain(`"${name}" is not a connector package`);
    }
    expect(snapshot(serverDir)).toEqual(before);
    expect(registry.requests.length).toBe(requests);
  });

  it('refuses a server directory without package.json, where npm would change a parent project', async () => {
    const bare = join(root, 'no-manifest');
    await mkdir(bare);
    const run = await cli(
      ['connectors', 'add', 'slipstream-connector-beta', '--server-dir', bare, '--json'],
      {
        env,
      },
    );
    expect(run.status).toBe(EXIT.USAGE);
    expect((json(run).error as { message: string }).message).toContain(`${bare} has no package.json`);
    expect(readdirSync(bare)).toEqual([]);
  });
});
