import { mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commandEnv } from './environment.js';
import { run } from './run.js';
import type { Registry } from './verdaccio.js';
import { WORKSPACE_ROOT } from './workspace.js';

/**
 * A third-party connector, as an author outside the project makes one: `npm create
 * slipstream-connector` run from the test registry (so the published scaffolder and its templates
 * are what is exercised), a proprietary license of its own, built and published with npm.
 */

export interface ThirdPartyConnector {
  readonly name: string;
  readonly packageName: string;
  readonly version: string;
  readonly license: string;
  readonly dir: string;
}

export const THIRD_PARTY_NAME = 'acme-lab';

/**
 * Scaffolds `slipstream-connector-acme-lab` in `parent` with the scaffolder published to
 * `registry` at `scaffolderVersion`.
 */
export async function scaffoldThirdParty(
  parent: string,
  registry: Registry,
  scaffolderVersion: string,
): Promise<ThirdPartyConnector> {
  const dir = join(parent, `slipstream-connector-${THIRD_PARTY_NAME}`);
  // `npm create x` is `npm exec create-x`. npm keeps what it executes in <cache>/_npx, keyed by
  // the package spec, so a cache of its own keeps an earlier run's 0.0.0 from being reused.
  await run(
    'npm',
    [
      'exec',
      '--yes',
      `--package=create-slipstream-connector@${scaffolderVersion}`,
      '--',
      'create-slipstream-connector',
      THIRD_PARTY_NAME,
      '--license',
      'proprietary',
      '--cloud',
      'Acme Lab',
    ],
    {
      cwd: parent,
      env: commandEnv({ npm_config_registry: registry.url, npm_config_cache: join(parent, '.npm-cache') }),
      timeoutMs: 2 * 60_000,
    },
  );
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    license: string;
  };
  return {
    name: THIRD_PARTY_NAME,
    packageName: manifest.name,
    version: manifest.version,
    license: manifest.license,
    dir,
  };
}

/**
 * Builds the scaffolded package. Its dev dependencies (core and the testkit, tsup, TypeScript,
 * Node's types) are linked from the workspace instead of installed: the same code at the same
 * versions, without fetching a compiler and a test runner from upstream on every run.
 */
export async function buildThirdParty(connector: ThirdPartyConnector): Promise<void> {
  const links: Record<string, string> = {
    '@slipstream/connector-core': join(WORKSPACE_ROOT, 'packages', 'connector-core'),
    '@slipstream/connector-testkit': join(WORKSPACE_ROOT, 'packages', 'connector-testkit'),
    tsup: realpathSync(join(WORKSPACE_ROOT, 'node_modules', 'tsup')),
    typescript: realpathSync(join(WORKSPACE_ROOT, 'node_modules', 'typescript')),
    '@types/node': realpathSync(join(WORKSPACE_ROOT, 'node_modules', '@types', 'node')),
  };
  for (const [name, target] of Object.entries(links)) {
    const link = join(connector.dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
  await run(process.execPath, [join(links.tsup ?? '', 'dist', 'cli-default.js')], {
    cwd: connector.dir,
    env: commandEnv(),
    timeoutMs: 2 * 60_000,
  });
}
