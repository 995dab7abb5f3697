import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openSqliteStore, STORE_FILE } from '@slipstream/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../command.js';
import { type FakePackage, type FakeRegistry, startFakeRegistry } from '../testing/fake-registry.js';
import { cli, json } from '../testing/io.js';

// The server's setStoredConnectors validates a list against real connector definitions, which these
// minimal fixtures are not; the command is tested against its contract with a store-writing stand-in.
vi.mock('@slipstream/server', async (original) => {
  const server = await original<typeof import('@slipstream/server')>();
  return {
    ...server,
    setStoredConnectors: async ({ home, list }: { home: string; list: string; from: string }) => {
      const store = await server.openSqliteStore({ file: join(home, server.STORE_FILE) });
      try {
        const current = await store.getConfiguration();
        await store.replaceConfiguration({
          basics: { connectors: list, settings: current?.basics.settings ?? {} },
          instances: current?.instances ?? {},
        });
        return { list, problems: [] };
      } finally {
        await store.close();
      }
    },
  };
});

const GAMMA_SOURCE = `export default {
  name: 'gamma',
  contract: 1,
  parameters: [
    { key: 'endpoint', label: 'Endpoint', description: 'API URL.', type: 'url', required: true },
    { key: 'zone', label: 'Zone', description: 'Zone.', type: 'string', required: true, default: 'a' },
    { key: 'region', label: 'Region', description: 'Region.', type: 'string' },
  ],
};
`;

async function storeWithList(home: string, connectors: string): Promise<string> {
  await mkdir(home, { recursive: true });
  const store = await openSqliteStore({ file: join(home, STORE_FILE) });
  await store.replaceConfiguration({ basics: { connectors, settings: {} }, instances: {} });
  await store.close();
  return home;
}

async function storedList(home: string): Promise<string | undefined> {
  const store = await openSqliteStore({ file: join(home, STORE_FILE) });
  try {
    return (await store.getConfiguration())?.basics.connectors;
  } finally {
    await store.close();
  }
}

/** A real package tarball made with `npm pack`, with the digests a packument carries. */
async function packConnector(
  root: string,
  name: string,
  version: string,
  source?: string,
): Promise<FakePackage & { file: string }> {
  const dir = join(root, 'src', name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name, version, license: 'MIT', type: 'module', exports: './index.js' }),
  );
  await writeFile(
    join(dir, 'index.js'),
    source ?? `export default { name: '${name.replace('slipstream-connector-', '')}', contract: 1 };\n`,
  );
  const file = execFileSync('npm', ['pack', '--pack-destination', root, '--json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const [{ filename }] = JSON.parse(file) as [{ filename: string }];
  const tarball = await readFile(join(root, filename));
  return {
    file: join(root, filename),
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
  let tarred: string;
  let notConnector: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipstream-install-'));
    const packages = [
      await packConnector(root, 'slipstream-connector-acme', '1.0.0'),
      await packConnector(root, 'slipstream-connector-beta', '0.1.0'),
      await packConnector(root, 'slipstream-connector-my-cloud', '2.0.0'),
      await packConnector(root, 'slipstream-connector-gamma', '1.0.0', GAMMA_SOURCE),
    ];
    // Only on disk, as an air-gapped administrator or an author with a local build has it.
    tarred = (await packConnector(root, 'slipstream-connector-tarred', '1.0.0')).file;
    notConnector = (await packConnector(root, 'left-pad-ish', '1.0.0')).file;
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
    // Never an invitation to install a package named after the typo.
    expect(run.stderr).not.toContain('slipstream-connector-cloudstak');
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
  it('refuses to remove a package that is not installed, running nothing', async () => {
    const before = snapshot(serverDir);
    const run = await cli(['connectors', 'remove', 'slipstream-connector-beta', '--server-dir', serverDir], {
      env,
    });
    expect(run.status).toBe(EXIT.USAGE);
    expect(run.stdout).not.toContain('Removed');
    expect(run.stderr).toContain(`slipstream-connector-beta is not installed in ${serverDir}`);
    expect(snapshot(serverDir)).toEqual(before);
  });

  it('adds a third-party connector by the name `connectors search` lists it under', async () => {
    const run = await cli(['connectors', 'add', 'my-cloud', '--server-dir', serverDir], { env });
    expect(run.stderr).toContain('npm install slipstream-connector-my-cloud');
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain('Installed slipstream-connector-my-cloud with npm');
    expect(existsSync(join(serverDir, 'node_modules', 'slipstream-connector-my-cloud'))).toBe(true);
  }, 120_000);

  it('removes a package configured instances use only with --force, naming them', async () => {
    const home = await storeWithList(join(root, 'home-remove'), 'mc1:my-cloud,my-cloud,acme');
    const refused = await cli(
      ['connectors', 'remove', 'my-cloud', '--server-dir', serverDir, '--home', home],
      { env },
    );
    expect(refused.status).toBe(EXIT.PROBLEMS);
    expect(refused.stderr).toContain('slipstream-connector-my-cloud (instances mc1, my-cloud)');
    expect(refused.stderr).toContain('--force');
    expect(existsSync(join(serverDir, 'node_modules', 'slipstream-connector-my-cloud'))).toBe(true);

    const forced = await cli(
      ['connectors', 'remove', 'my-cloud', '--force', '--server-dir', serverDir, '--home', home],
      { env },
    );
    expect(forced.status).toBe(EXIT.OK);
    expect(forced.stdout).toContain('Removed slipstream-connector-my-cloud');
    expect(forced.stdout).toContain('slipstream-connector-my-cloud (instances mc1, my-cloud)');
    expect(existsSync(join(serverDir, 'node_modules', 'slipstream-connector-my-cloud'))).toBe(false);

    // `connectors list` flags the configured instances that no installed package implements.
    const listed = await cli(['connectors', 'list', '--server-dir', serverDir, '--home', home, '--json'], {
      env,
    });
    expect(json(listed).missing).toEqual([
      { connector: 'my-cloud', instances: ['mc1', 'my-cloud'] },
      { connector: 'acme', instances: ['acme'] },
    ]);
    const text = await cli(['connectors', 'list', '--server-dir', serverDir, '--home', home], { env });
    expect(text.stdout).toContain('Not installed: my-cloud, used by the configured instances mc1, my-cloud');
  }, 120_000);

  it('installs a package tarball and refuses one that is not a connector before installing', async () => {
    const before = snapshot(serverDir);
    const refused = await cli(['connectors', 'add', `file:${notConnector}`, '--server-dir', serverDir], {
      env,
    });
    expect(refused.status).toBe(EXIT.USAGE);
    expect(refused.stderr).toContain('holds the package "left-pad-ish", which is not a connector package');
    expect(snapshot(serverDir)).toEqual(before);

    // A path relative to the working directory, as an administrator types it next to the file.
    const run = await cli(['connectors', 'add', `./${basename(tarred)}`, '--server-dir', serverDir], {
      env,
      cwd: root,
    });
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain('Installed slipstream-connector-tarred with npm');
    const manifest = JSON.parse(await readFile(join(serverDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies['slipstream-connector-tarred']).toMatch(/^file:/);
  }, 120_000);

  it('adds an instance to the stored list with --instance and prints the parameters it still needs', async () => {
    const home = await storeWithList(join(root, 'home-add'), 'local');
    const taken = await cli(
      ['connectors', 'add', 'gamma', '--instance', 'local', '--server-dir', serverDir, '--home', home],
      { env },
    );
    expect(taken.status).toBe(EXIT.USAGE);
    expect(taken.stderr).toContain('already has an instance "local"');

    const run = await cli(
      [
        'connectors',
        'add',
        'slipstream-connector-gamma',
        '--instance',
        'g1',
        '--server-dir',
        serverDir,
        '--home',
        home,
      ],
      { env },
    );
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain(`Added instance "g1" to the connector list in ${home}: local,g1:gamma`);
    // endpoint is required without a default; zone has a default; region is optional.
    expect(run.stdout).toContain('instance "g1" needs: endpoint (set on the configuration page).');
    expect(await storedList(home)).toBe('local,g1:gamma');
  }, 120_000);
});
