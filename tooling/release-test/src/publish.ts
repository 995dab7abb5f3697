import { join } from 'node:path';
import { commandEnv } from './environment.js';
import { type RunResult, run } from './run.js';
import type { Registry } from './verdaccio.js';
import { WORKSPACE_ROOT } from './workspace.js';

/**
 * Publishes the workspace the way the root `release` script does (`changeset publish`, after the
 * build `pnpm test` has already run): changesets publishes every non-private package whose version
 * the registry does not have yet, each with `pnpm publish` (which replaces `workspace:` ranges).
 * The registry comes from `npm_config_registry` and the token from a user configuration file of
 * our own, so the workspace's and the user's npm settings are not touched; `--no-git-tag` because
 * a test must not tag the repository.
 */
export function publishWorkspace(registry: Registry, root = WORKSPACE_ROOT): Promise<RunResult> {
  return run(join(root, 'node_modules', '.bin', 'changeset'), ['publish', '--no-git-tag'], {
    cwd: root,
    env: commandEnv({ npm_config_registry: registry.url, npm_config_userconfig: registry.npmrc }),
    timeoutMs: 5 * 60_000,
    secrets: [registry.token],
  });
}

/** Publishes one package directory with npm, as a third-party author would. */
export function publishDirectory(dir: string, registry: Registry): Promise<RunResult> {
  return run('npm', ['publish', '--ignore-scripts'], {
    cwd: dir,
    env: commandEnv({ npm_config_registry: registry.url, npm_config_userconfig: registry.npmrc }),
    timeoutMs: 2 * 60_000,
    secrets: [registry.token],
  });
}

export interface PublishedVersion {
  readonly latest: string | undefined;
  readonly versions: readonly string[];
  /** Dependency ranges of the latest version that still say `workspace:` (there must be none). */
  readonly workspaceRanges: readonly string[];
  readonly license: unknown;
}

/** What the registry says about `name` (its packument), or undefined when it does not have it. */
export async function publishedVersion(
  registry: Registry,
  name: string,
): Promise<PublishedVersion | undefined> {
  const response = await fetch(new URL(name.replace('/', '%2f'), registry.url), {
    headers: { accept: 'application/json' },
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${name} from the test registry answered ${response.status}`);
  const body = (await response.json()) as {
    'dist-tags'?: Record<string, string>;
    versions?: Record<string, Record<string, unknown>>;
  };
  const latest = body['dist-tags']?.latest;
  const manifest = (latest === undefined ? undefined : body.versions?.[latest]) ?? {};
  const workspaceRanges: string[] = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    const ranges = manifest[field];
    if (typeof ranges !== 'object' || ranges === null) continue;
    for (const [dependency, range] of Object.entries(ranges)) {
      if (String(range).startsWith('workspace:')) workspaceRanges.push(`${field}.${dependency}: ${range}`);
    }
  }
  return { latest, versions: Object.keys(body.versions ?? {}), workspaceRanges, license: manifest.license };
}
