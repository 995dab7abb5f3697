import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pnpmCommand, runCommand, tail } from './run.js';

/** A workspace package that is published: its package.json does not say `"private": true`. */
export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  /** Absolute folder. */
  readonly path: string;
  /** Folder relative to the workspace root, for messages (`packages/connector-core`). */
  readonly dir: string;
}

interface ListedPackage {
  readonly name?: unknown;
  readonly path?: unknown;
  readonly private?: unknown;
}

/**
 * The publishable packages of the workspace at `root`, sorted by name. pnpm lists the workspace
 * (so its globs are read the way pnpm reads them); each package.json is read again for `private`
 * and `version`, since those decide what is published.
 */
export async function publishablePackages(root: string): Promise<WorkspacePackage[]> {
  const pnpm = pnpmCommand();
  const args = [...pnpm.prefix, '-r', 'ls', '--depth', '-1', '--json'];
  const result = await runCommand(pnpm.command, args, { cwd: root, timeoutMs: 60_000 });
  if (result.status !== 0) {
    throw new Error(
      `pnpm -r ls failed in ${root} (exit ${result.status ?? 'signal'}): ${tail(result.stderr)}`,
    );
  }
  const listed = JSON.parse(result.stdout) as ListedPackage[];
  const packages: WorkspacePackage[] = [];
  for (const entry of listed) {
    if (typeof entry.path !== 'string' || entry.path === root) continue;
    const manifest = JSON.parse(await readFile(join(entry.path, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    if (manifest.private === true) continue;
    const dir = relative(root, entry.path);
    if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
      throw new Error(
        `${dir}/package.json needs a "name" and a "version" to be published (or "private": true).`,
      );
    }
    packages.push({ name: manifest.name, version: manifest.version, path: entry.path, dir });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}
