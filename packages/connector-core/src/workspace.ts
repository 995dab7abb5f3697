import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';

/**
 * pnpm workspaces, as far as install advice and the `slipstream` command need them: in a checkout
 * of this repository the server is a workspace package (`packages/server`), and pnpm refuses a bare
 * `pnpm add` at the workspace root, so advice must name the package with `--filter`.
 */

export interface PnpmWorkspace {
  /** The directory holding pnpm-workspace.yaml. */
  readonly root: string;
  /** Workspace packages by package name → directory. */
  readonly packages: ReadonlyMap<string, string>;
}

/** The pnpm workspace `dir` lies in (walking up to the nearest pnpm-workspace.yaml), if any. */
export function findPnpmWorkspace(dir: string): PnpmWorkspace | undefined {
  const { root } = parse(dir);
  for (let current = resolve(dir); ; current = dirname(current)) {
    const file = join(current, 'pnpm-workspace.yaml');
    if (existsSync(file)) return { root: current, packages: workspacePackages(current, readText(file)) };
    if (current === root) return undefined;
  }
}

/**
 * The `packages:` globs of pnpm-workspace.yaml, read without a YAML parser: only the block list
 * under `packages:` matters, and its items are plain or quoted strings. Supported patterns are the
 * ones workspaces use in practice: a directory, `dir/*` and `dir/**`; negations (`!x`) exclude.
 */
export function workspacePatterns(yaml: string): string[] {
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages:\s*(#.*)?$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (!inPackages) continue;
    const item = /^\s+-\s+(.+?)\s*(#.*)?$/.exec(line);
    if (item?.[1] !== undefined) patterns.push(item[1].replace(/^(['"])(.*)\1$/, '$2'));
    // Any other non-indented, non-comment line starts the next top-level key.
    else if (/^\S/.test(line) && !line.startsWith('#')) inPackages = false;
  }
  return patterns;
}

function workspacePackages(root: string, yaml: string): Map<string, string> {
  const patterns = workspacePatterns(yaml);
  const excluded = new Set(
    patterns.filter((p) => p.startsWith('!')).flatMap((p) => expand(root, p.slice(1))),
  );
  const packages = new Map<string, string>();
  // pnpm always counts the root itself as a workspace package.
  for (const dir of [root, ...patterns.filter((p) => !p.startsWith('!')).flatMap((p) => expand(root, p))]) {
    if (excluded.has(dir)) continue;
    const name = manifestName(dir);
    if (name !== undefined && !packages.has(name)) packages.set(name, dir);
  }
  return packages;
}

function expand(root: string, pattern: string): string[] {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean.endsWith('/**')) return descendants(join(root, clean.slice(0, -3)));
  if (clean.endsWith('/*')) return children(join(root, clean.slice(0, -2)));
  return clean.includes('*') ? [] : [join(root, clean)];
}

function children(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
}

function descendants(dir: string): string[] {
  return children(dir).flatMap((child) => [child, ...descendants(child)]);
}

function manifestName(dir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof manifest.name === 'string' && manifest.name !== '' ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The workspace package whose directory holds `dir` (the nearest one), if any. */
export function workspacePackageOf(
  workspace: PnpmWorkspace,
  dir: string,
): { readonly name: string; readonly dir: string } | undefined {
  let best: { name: string; dir: string } | undefined;
  for (const [name, packageDir] of workspace.packages) {
    const inside =
      dir === packageDir || dir.startsWith(`${packageDir}/`) || dir.startsWith(`${packageDir}\\`);
    if (inside && (best === undefined || packageDir.length > best.dir.length))
      best = { name, dir: packageDir };
  }
  return best;
}

/**
 * The pnpm arguments that add `packages` to the workspace package holding `dir`: `--filter <name>
 * add`, or `add -w` for the root, which pnpm otherwise refuses. A package the workspace itself
 * holds is added as `name@workspace:^`, since pnpm would otherwise look for it in the registry.
 */
export function pnpmWorkspaceAddArgs(
  workspace: PnpmWorkspace,
  dir: string,
  packages: readonly string[],
): string[] {
  const target = workspacePackageOf(workspace, dir);
  const specs = packages.map((name) => (workspace.packages.has(name) ? `${name}@workspace:^` : name));
  if (target === undefined || target.dir === workspace.root) return ['add', '-w', ...specs];
  return ['--filter', target.name, 'add', ...specs];
}
