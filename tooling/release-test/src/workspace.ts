import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandEnv } from './environment.js';
import { run } from './run.js';

/** The repository root: this file is tooling/release-test/src/workspace.ts. */
export const WORKSPACE_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

interface ListedPackage {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly path?: unknown;
  readonly private?: unknown;
}

/** The packages a release publishes: every workspace package that is not private, by name. */
export async function publishablePackages(root = WORKSPACE_ROOT): Promise<WorkspacePackage[]> {
  // pnpm's own view of the workspace, so the test follows pnpm-workspace.yaml as it changes.
  const { stdout } = await run('pnpm', ['ls', '--recursive', '--depth', '-1', '--json'], {
    cwd: root,
    env: commandEnv(),
    timeoutMs: 60_000,
  });
  const listed = JSON.parse(stdout) as ListedPackage[];
  return listed
    .filter((item) => item.private !== true && typeof item.name === 'string' && typeof item.path === 'string')
    .map((item) => ({ name: String(item.name), version: String(item.version), dir: String(item.path) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What is missing for `pkg` to be published as built: its `dist` and every file its manifest's
 * `main`, `types`, `exports` and `bin` point into `dist`. Empty when it is built.
 */
export function missingBuildOutput(pkg: WorkspacePackage): string[] {
  const dist = join(pkg.dir, 'dist');
  if (!existsSync(dist) || readdirSync(dist).length === 0) return ['dist/'];
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const targets = new Set<string>();
  collectPaths([manifest.main, manifest.types, manifest.exports, manifest.bin], targets);
  return [...targets]
    .filter((target) => target.replace(/^\.\//, '').startsWith('dist/'))
    .filter((target) => !existsSync(join(pkg.dir, target)))
    .sort();
}

function collectPaths(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value.startsWith('./') || value.startsWith('dist/')) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectPaths(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectPaths(item, into);
  }
}
