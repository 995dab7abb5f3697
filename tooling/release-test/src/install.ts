import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import semver from 'semver';
import { commandEnv } from './environment.js';
import { type RunResult, run } from './run.js';

/**
 * A project outside the workspace that installs the released packages with npm, as an operator
 * does. Its `.npmrc` points at the test registry (no token: reading is open), so every npm the
 * project runs, including the one `slipstream connectors remove` starts, uses it.
 */

export async function createProject(dir: string, registry: string): Promise<void> {
  await run('npm', ['init', '-y'], { cwd: dir, env: commandEnv(), timeoutMs: 60_000 });
  writeFileSync(join(dir, '.npmrc'), `registry=${registry}\n`);
}

/**
 * `npm install` of `packages` from the test registry. better-sqlite3 compiles from source (see
 * environment.ts), which takes a few minutes on a small machine. Tarballs come from npm's cache
 * when they are there (npm looks them up by integrity); package documents cannot, since the
 * registry's port changes with every run.
 */
export function installPackages(
  dir: string,
  registry: string,
  packages: readonly string[],
): Promise<RunResult> {
  // --engine-strict: a dependency whose `engines` excludes this Node fails the install (EBADENGINE)
  // instead of a warning an operator scrolls past; on Node 20 that is what the packages promise.
  const args = ['install', '--registry', registry, '--engine-strict', '--no-audit', '--no-fund', ...packages];
  return run('npm', args, {
    cwd: dir,
    env: commandEnv(),
    timeoutMs: 10 * 60_000,
  });
}

/** A symbolic link under `dir/node_modules` whose target is outside `dir`. */
export interface EscapingLink {
  readonly link: string;
  readonly target: string;
}

/**
 * Every symbolic link in `dir/node_modules` (npm makes them for `.bin`) that resolves outside
 * `dir`: a link into the workspace would mean the test exercised the workspace, not the release.
 */
export function linksLeaving(dir: string): EscapingLink[] {
  const root = realpathSync(dir);
  const escaping: EscapingLink[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isSymbolicLink()) {
        const target = resolve(dirname(path), readlinkSync(path));
        if (!isInside(target, root)) escaping.push({ link: relative(root, path), target });
      } else if (entry.isDirectory()) {
        walk(path);
      }
    }
  };
  walk(join(root, 'node_modules'));
  return escaping;
}

/** The real directory a package is installed in, through any symbolic link. */
export function installedDir(dir: string, packageName: string): string | undefined {
  const path = join(dir, 'node_modules', ...packageName.split('/'));
  try {
    lstatSync(path);
  } catch {
    return undefined;
  }
  return realpathSync(path);
}

export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

/** An installed package whose `engines.node` excludes the oldest Node our packages accept. */
export interface EngineConflict {
  readonly package: string;
  readonly version: string;
  readonly node: string;
}

/**
 * Every package installed under `dir/node_modules` whose `engines.node` does not accept `minimum`
 * (the lowest version our `engines` range allows). npm's --engine-strict only checks the Node it
 * runs on; this holds on any Node, so the Node 24 run of CI still guards the Node 20 promise.
 */
export function engineConflicts(dir: string, minimum: string): EngineConflict[] {
  const conflicts: EngineConflict[] = [];
  const visit = (packageDir: string): void => {
    let manifest: { name?: string; version?: string; engines?: { node?: unknown } };
    try {
      manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    } catch {
      return;
    }
    const node = manifest.engines?.node;
    if (typeof node === 'string' && !semver.satisfies(minimum, node)) {
      conflicts.push({ package: manifest.name ?? packageDir, version: manifest.version ?? '?', node });
    }
    walk(join(packageDir, 'node_modules'));
  };
  const walk = (modules: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(join(modules, entry))) visit(join(modules, entry, scoped));
      } else {
        visit(join(modules, entry));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return conflicts.sort((a, b) => a.package.localeCompare(b.package));
}

/** The lowest Node version an `engines.node` range accepts (`>=20.18.1` gives 20.18.1). */
export function minimumNode(range: string): string {
  const minimum = semver.minVersion(range);
  if (minimum === null) throw new Error(`engines.node "${range}" accepts no version`);
  return minimum.version;
}
