import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectorNameOf } from './catalog.js';
import { findPnpmWorkspace, pnpmWorkspaceAddArgs } from './workspace.js';

/**
 * Finding installed packages the way Node does — `node_modules` in the starting directory and each
 * parent — but from a directory we choose (the installation of the program that loads connectors),
 * not from this file's location or the current working directory.
 */

export interface InstalledPackage {
  readonly name: string;
  /** Directory holding the package.json (symlinks kept as found, like Node's resolution). */
  readonly dir: string;
  readonly manifest: PackageManifest;
}

export interface PackageManifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly description?: unknown;
  readonly license?: unknown;
  readonly licenses?: unknown;
  readonly exports?: unknown;
  readonly main?: unknown;
  readonly type?: unknown;
}

/** A directory from a path or file URL; a file (such as `import.meta.url`) means its directory. */
export function toSearchDirectory(from: string | URL): string {
  const path = resolve(from instanceof URL || from.startsWith('file:') ? fileURLToPath(from) : from);
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return path;
  }
}

/**
 * The installation a search directory belongs to, as an administrator knows it: the directory
 * holding the outermost `node_modules` on the path (`/app` for
 * `/app/node_modules/@slipstream/server/dist`, also through pnpm's `.pnpm` store), otherwise the
 * nearest directory with a package.json (a checkout: `packages/server`), otherwise `dir` itself.
 * Install advice names it: running `npm install` inside a package's `dist` would do nothing useful.
 */
export function installationDir(dir: string): string {
  const segments = dir.split(sep);
  const modules = segments.indexOf('node_modules');
  if (modules > 0) return segments.slice(0, modules).join(sep) || sep;
  const { root } = parse(dir);
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return current;
    if (current === root) return dir;
  }
}

/** Every `node_modules` directory Node would search from `dir`, nearest first. */
export function nodeModulesChain(dir: string): string[] {
  const chain: string[] = [];
  const { root } = parse(dir);
  for (let current = dir; ; current = dirname(current)) {
    if (!current.endsWith(`${sep}node_modules`)) chain.push(join(current, 'node_modules'));
    if (current === root) return chain;
  }
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** The nearest installed copy of `name`, or undefined when none is installed. */
export async function findPackage(name: string, from: string): Promise<InstalledPackage | undefined> {
  for (const modules of nodeModulesChain(from)) {
    const dir = join(modules, ...name.split('/'));
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    let manifest: unknown;
    try {
      manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    } catch (error) {
      throw new ManifestError(`${manifestPath} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new ManifestError(`${manifestPath} does not hold a JSON object.`);
    }
    return { name, dir, manifest: manifest as PackageManifest };
  }
  return undefined;
}

const IMPORT_CONDITIONS = new Set(['import', 'node', 'default']);

/**
 * The file `import(name)` loads: the `"."` export under the import/node/default conditions, else
 * `main`, else index.js. Paths outside the package are refused, as Node refuses them.
 */
export function packageEntry(pkg: InstalledPackage): string | undefined {
  const { exports, main } = pkg.manifest;
  let target: string | undefined;
  if (exports !== undefined && exports !== null) {
    const isSubpathMap =
      typeof exports === 'object' &&
      !Array.isArray(exports) &&
      Object.keys(exports).some((key) => key.startsWith('.'));
    target = exportTarget(isSubpathMap ? (exports as Record<string, unknown>)['.'] : exports);
    if (target === undefined || !target.startsWith('./')) return undefined;
  } else {
    target = typeof main === 'string' && main !== '' ? main : 'index.js';
  }
  const file = resolve(pkg.dir, target);
  if (!file.startsWith(pkg.dir + sep)) return undefined;
  if (exports !== undefined && exports !== null) return file;
  // `main` may omit the extension or name a directory, as CommonJS allowed.
  return [file, `${file}.js`, join(file, 'index.js')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

function exportTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = exportTarget(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const found = exportTarget(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export interface InstalledConnectorPackage {
  readonly connector: string;
  readonly package: string;
  readonly dir: string;
}

/**
 * Connector packages visible from `from` (nearest wins, as in resolution). The server compares
 * this with what it loaded; the loader uses it for did-you-mean suggestions.
 */
export function listInstalledConnectorPackages(from: string): InstalledConnectorPackage[] {
  const found = new Map<string, InstalledConnectorPackage>();
  const add = (packageName: string, dir: string): void => {
    const connector = connectorNameOf(packageName);
    if (connector === undefined || found.has(packageName)) return;
    if (existsSync(join(dir, 'package.json')))
      found.set(packageName, { connector, package: packageName, dir });
  };
  for (const modules of nodeModulesChain(from)) {
    for (const entry of safeReaddir(modules)) {
      if (entry.startsWith('slipstream-connector-')) add(entry, join(modules, entry));
    }
    for (const entry of safeReaddir(join(modules, '@slipstream'))) {
      if (entry.startsWith('connector-')) add(`@slipstream/${entry}`, join(modules, '@slipstream', entry));
    }
  }
  return [...found.values()].sort((a, b) => a.package.localeCompare(b.package));
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The install command for `packageName` with the package manager that manages `dir`. In a pnpm
 * workspace it names the workspace package (`pnpm --filter @slipstream/server add …`): a bare
 * `pnpm add` is refused at the workspace root and would fetch a workspace package from the registry.
 */
export function installCommand(packageName: string, dir: string): string {
  const workspace = findPnpmWorkspace(dir);
  if (workspace !== undefined) return `pnpm ${pnpmWorkspaceAddArgs(workspace, dir, [packageName]).join(' ')}`;
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'pnpm-lock.yaml'))) return `pnpm add ${packageName}`;
    if (existsSync(join(current, 'yarn.lock'))) return `yarn add ${packageName}`;
    if (existsSync(join(current, 'package-lock.json'))) return `npm install ${packageName}`;
    if (current === dirname(current)) return `npm install ${packageName}`;
  }
}
