import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { loadConnectors } from './loader.js';
import { installationDir, listInstalledConnectorPackages } from './packages.js';

/**
 * The loader is tested against packages really installed by npm from tarballs into a temporary
 * project, the way an administrator installs connectors next to the server: no workspace links.
 */

const run = promisify(execFile);

interface Fixture {
  readonly name: string;
  readonly version?: string;
  readonly license?: string;
  /** The module's source; defaults to a valid definition of `connector`. */
  readonly source?: string;
  readonly connector?: string;
}

function definitionSource(connector: string, extra = ''): string {
  return `
const specs = [{ key: 'endpoint', label: 'Endpoint', description: 'API URL.', type: 'url', required: true }];
export default {
  name: ${JSON.stringify(connector)},
  cloud: ${JSON.stringify(`${connector} cloud`)},
  contract: 1,
  parameters: specs,
  credentials: [{ key: 'token', label: 'Token', description: 'API token.', type: 'secret', required: true }],
  capabilities: { stopStart: false, zones: false, sshKeys: false, userData: false, tags: false },
  states: { up: 'running' },
  create(context) {
    return {
      session: () => ({
        checkCredentials: async () => {},
        listImages: async () => [{ id: context.instance, name: context.parameters.endpoint }],
        listSizes: async () => [], listZones: async () => [], launch: async () => [],
        describe: async () => [], terminate: async () => {},
      }),
    };
  },
  ${extra}
};
`;
}

const fixtures: Fixture[] = [
  { name: '@slipstream/connector-alpha', license: 'Apache-2.0', connector: 'alpha' },
  {
    name: 'slipstream-connector-beta',
    license: 'SEE LICENSE IN LICENSE',
    connector: 'beta',
    version: '3.1.4',
  },
  {
    name: '@slipstream/connector-gamma',
    connector: 'gamma',
    source: definitionSource('gamma').replace('contract: 1', 'contract: 2'),
  },
  {
    name: '@slipstream/connector-delta',
    source: "throw new Error('delta exploded while importing');\nexport default {};",
  },
  { name: '@slipstream/connector-epsilon', source: "export default { name: 'epsilon', contract: 1 };" },
  { name: '@slipstream/connector-zeta', connector: 'other' },
  {
    name: '@slipstream/connector-eta',
    source: definitionSource('eta', "get states() { throw new Error('no states today'); },").replace(
      "states: { up: 'running' },",
      '',
    ),
  },
  { name: '@slipstream/connector-dual', connector: 'dual', version: '1.0.0', license: 'MIT' },
  { name: 'slipstream-connector-dual', connector: 'dual', version: '9.9.9', license: 'UNLICENSED' },
];

let project: string;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'slipstream-loader-'));
  project = join(root, 'server');
  const sources = join(root, 'sources');
  await mkdir(project, { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'server-under-test', private: true, type: 'module' }),
  );
  const folders: string[] = [];
  for (const fixture of fixtures) {
    const folder = join(sources, fixture.name.replace('/', '+'));
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'package.json'),
      JSON.stringify({
        name: fixture.name,
        version: fixture.version ?? '1.2.3',
        description: `Fixture ${fixture.name}`,
        license: fixture.license ?? 'Apache-2.0',
        type: 'module',
        exports: { '.': { types: './index.d.ts', import: './index.js' } },
        files: ['index.js'],
      }),
    );
    await writeFile(join(folder, 'index.js'), fixture.source ?? definitionSource(fixture.connector ?? 'x'));
    folders.push(folder);
  }
  const packed = join(root, 'tarballs');
  await mkdir(packed);
  const npm = {
    cwd: project,
    env: {
      ...process.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  };
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packed, ...folders], npm);
  const tarballs = (JSON.parse(stdout) as { filename: string }[]).map((entry) =>
    join(packed, entry.filename),
  );
  await run('npm', ['install', '--offline', ...tarballs], npm);
  return () => rm(root, { recursive: true, force: true });
}, 120_000);

const endpoint = { endpoint: 'https://alpha.example.org/api' };

describe('loadConnectors against installed packages', () => {
  it('loads scoped and unscoped packages, reading version, license and description from package.json', async () => {
    const registry = await loadConnectors('alpha,a2:alpha,beta', {
      from: project,
      parameters: { alpha: endpoint, a2: { endpoint: 'https://a2.example.org' }, beta: endpoint },
    });
    expect(registry.problems).toEqual([]);
    expect(registry.instances).toEqual([
      expect.objectContaining({
        name: 'alpha',
        connector: 'alpha',
        package: '@slipstream/connector-alpha',
        version: '1.2.3',
        license: 'Apache-2.0',
        openSource: true,
        position: 1,
      }),
      expect.objectContaining({
        name: 'a2',
        connector: 'alpha',
        package: '@slipstream/connector-alpha',
        position: 2,
      }),
      expect.objectContaining({
        name: 'beta',
        package: 'slipstream-connector-beta',
        version: '3.1.4',
        license: 'SEE LICENSE IN LICENSE',
        openSource: false,
        description: 'Fixture slipstream-connector-beta',
        cloud: 'beta cloud',
      }),
    ]);
    // Each instance is its own live object with its own parameters.
    const session = await registry.instance('a2').session({ token: 't-123456' });
    expect(await session.listImages()).toEqual([{ id: 'a2', name: 'https://a2.example.org' }]);
    await registry.close();
  });

  it('prefers @slipstream/connector-<name> over slipstream-connector-<name>', async () => {
    const registry = await loadConnectors('dual', { from: project, parameters: { dual: endpoint } });
    expect(registry.instances[0]).toMatchObject({
      package: '@slipstream/connector-dual',
      version: '1.0.0',
      license: 'MIT',
      openSource: true,
    });
    await registry.close();
  });

  it('reports each broken connector with its own code while loading the good ones', async () => {
    const registry = await loadConnectors('alpha,gamma,delta,epsilon,zeta,aws,alpah,beta', {
      from: project,
      parameters: { alpha: endpoint, beta: endpoint },
    });
    expect(registry.instances.map((i) => i.name)).toEqual(['alpha', 'beta']);
    expect(registry.problems.map((p) => [p.position, p.code])).toEqual([
      [2, 'CONTRACT_MISMATCH'],
      [3, 'CONNECTOR_LOAD_FAILED'],
      [4, 'CONNECTOR_LOAD_FAILED'],
      [5, 'CONNECTOR_LOAD_FAILED'],
      [6, 'CONNECTOR_NOT_INSTALLED'],
      [7, 'CONNECTOR_UNKNOWN'],
    ]);
    const [gamma, delta, epsilon, zeta, aws, alpah] = registry.problems.map((p) => p.message);
    expect(gamma).toMatch(/built for connector contract 2.*implements contract 1/);
    expect(delta).toMatch(/failed to import @slipstream\/connector-delta: delta exploded while importing/);
    expect(epsilon).toMatch(/not a valid connector definition: .*"cloud"/);
    expect(zeta).toMatch(/implements connector "other", not "zeta"/);
    expect(aws).toMatch(
      /Amazon EC2 connector is the package @slipstream\/connector-aws\. Run `npm install @slipstream\/connector-aws`/,
    );
    expect(alpah).toMatch(/did you mean "alpha"\?/);
    // No invitation to install a package named after the typo: anyone could publish one.
    expect(alpah).not.toContain('slipstream-connector-alpah');
    expect(alpah).not.toMatch(/npm install/);
    await registry.close();
  });

  it("names the installation, not the loading package's own directory, in install advice", async () => {
    // As an installed server loads: from its own dist file, deep inside the installation's node_modules.
    const inside = join(project, 'node_modules', '@slipstream', 'connector-alpha', 'index.js');
    const registry = await loadConnectors('aws', { from: pathToFileURL(inside) });
    expect(registry.problems[0]?.message).toContain(`\` in ${project}, then restart the server.`);
    await registry.close();
  });

  it("validates each instance's parameters separately and reports them with the entry", async () => {
    const registry = await loadConnectors('good:alpha,bad:alpha', {
      from: project,
      parameters: { good: endpoint, bad: { endpoint: 'ftp://x', colour: 'blue' } },
    });
    expect(registry.instances.map((i) => i.name)).toEqual(['good']);
    expect(registry.problems.map((p) => [p.position, p.instance, p.code, p.key])).toEqual([
      [2, 'bad', 'CONFIG_INVALID', 'colour'],
      [2, 'bad', 'CONFIG_INVALID', 'endpoint'],
    ]);
    expect(registry.problems[0]?.message).toMatch(/Unknown parameter "colour"/);
    expect(registry.problems[1]?.message).toMatch(/http or https/);
    await registry.close();
  });

  it('reports list syntax problems beside resolution problems and still loads the valid entries', async () => {
    const registry = await loadConnectors('alpha,,x:y:z,aws', {
      from: project,
      parameters: { alpha: endpoint },
    });
    expect(registry.instances.map((i) => i.name)).toEqual(['alpha']);
    expect(registry.problems.map((p) => [p.position, p.code])).toEqual([
      [2, 'CONFIG_INVALID'],
      [3, 'CONFIG_INVALID'],
      [4, 'CONNECTOR_NOT_INSTALLED'],
    ]);
    await registry.close();
  });

  it('in strict mode throws one error listing every problem', async () => {
    const error = await loadConnectors('alpha,aws,gamma', {
      from: project,
      parameters: { alpha: endpoint },
      strict: true,
    }).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as ConnectorError).problems.map((p) => p.code)).toEqual([
      'CONNECTOR_NOT_INSTALLED',
      'CONTRACT_MISMATCH',
    ]);
    const single = await loadConnectors('aws', { from: project, strict: true }).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(single, 'CONNECTOR_NOT_INSTALLED')).toBe(true);
  });

  it('accepts a file URL inside the installation as "from", never the working directory', async () => {
    const fromFile = pathToFileURL(join(project, 'server.js'));
    const registry = await loadConnectors('alpha', { from: fromFile, parameters: { alpha: endpoint } });
    expect(registry.instances).toHaveLength(1);
    await registry.close();
    await expect(loadConnectors('alpha', {} as never)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    // The repository running this test has no fixture packages: nothing is found from here.
    const here = await loadConnectors('alpha', { from: tmpdir(), parameters: { alpha: endpoint } });
    expect(here.problems[0]?.code).toBe('CONNECTOR_UNKNOWN');
  });

  it('contains a definition whose getters throw to that connector alone', async () => {
    const registry = await loadConnectors('eta,alpha', { from: project, parameters: { alpha: endpoint } });
    expect(registry.instances.map((i) => i.name)).toEqual(['alpha']);
    expect(registry.problems[0]).toMatchObject({ code: 'CONNECTOR_LOAD_FAILED', position: 1 });
    expect(registry.problems[0]?.message).toMatch(/no states today/);
    await registry.close();
  });

  it('reads parameters of an instance named like an Object property from own keys only', async () => {
    const registry = await loadConnectors('constructor:alpha', { from: project, parameters: {} });
    expect(registry.problems.map((p) => [p.code, p.key])).toEqual([['CONFIG_INVALID', 'endpoint']]);
  });

  it('refuses a relative or missing "from", which would depend on the working directory', async () => {
    for (const from of ['.', 'node_modules', '', null, 42]) {
      await expect(loadConnectors('alpha', { from } as never)).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
      });
    }
  });

  it('refuses names that would build package names outside the connector namespace', async () => {
    const registry = await loadConnectors('core,x:../alpha,testkit', { from: project });
    expect(registry.problems.map((p) => p.code)).toEqual([
      'CONNECTOR_UNKNOWN',
      'CONFIG_INVALID',
      'CONNECTOR_UNKNOWN',
    ]);
  });

  it('an empty list loads nothing and reports nothing', async () => {
    const registry = await loadConnectors('', { from: project });
    expect(registry.instances).toEqual([]);
    expect(registry.problems).toEqual([]);
    expect(() => registry.instance('alpha')).toThrow(/No connector instance "alpha" is loaded/);
  });
});

describe('listInstalledConnectorPackages', () => {
  it('lists scoped and unscoped connector packages, not other packages', () => {
    const found = listInstalledConnectorPackages(project).map((p) => `${p.connector}=${p.package}`);
    expect(found).toEqual([
      'alpha=@slipstream/connector-alpha',
      'delta=@slipstream/connector-delta',
      'dual=@slipstream/connector-dual',
      'epsilon=@slipstream/connector-epsilon',
      'eta=@slipstream/connector-eta',
      'gamma=@slipstream/connector-gamma',
      'zeta=@slipstream/connector-zeta',
      'beta=slipstream-connector-beta',
      'dual=slipstream-connector-dual',
    ]);
  });
});

describe('installationDir', () => {
  it("is the directory above the outermost node_modules, through pnpm's store too", () => {
    expect(installationDir(join('/app', 'node_modules', '@slipstream', 'server', 'dist'))).toBe('/app');
    expect(
      installationDir(
        '/srv/s/node_modules/.pnpm/@slipstream+server@1.0.0/node_modules/@slipstream/server/dist',
      ),
    ).toBe('/srv/s');
  });

  it('is the nearest package directory in a checkout, else the directory itself', async () => {
    const checkout = await mkdtemp(join(tmpdir(), 'slipstream-checkout-'));
    try {
      await mkdir(join(checkout, 'packages', 'server', 'dist'), { recursive: true });
      await writeFile(join(checkout, 'packages', 'server', 'package.json'), '{}');
      expect(installationDir(join(checkout, 'packages', 'server', 'dist'))).toBe(
        join(checkout, 'packages', 'server'),
      );
      const bare = join(checkout, 'bare');
      await mkdir(bare);
      expect(installationDir(bare)).toBe(bare);
    } finally {
      await rm(checkout, { recursive: true, force: true });
    }
  });
});
