import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findPnpmWorkspace, pnpmWorkspaceAddArgs } from '@slipstream/connector-core';

/**
 * Installing and removing packages with the package manager the server installation uses, found
 * by its lockfile. The package manager's own transaction keeps a failed install from leaving
 * anything half-installed, so we only run it and report.
 */

export type PackageManagerName = 'pnpm' | 'yarn' | 'npm';

export interface PackageManager {
  readonly name: PackageManagerName;
  /** The lockfile that decided it, when there is one. */
  readonly lockfile: string | undefined;
}

const LOCKFILES: readonly [string, PackageManagerName][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
];

/** The package manager whose lockfile is nearest to `dir` (walking up), npm when there is none. */
export function detectPackageManager(dir: string): PackageManager {
  for (let current = dir; ; current = dirname(current)) {
    for (const [file, name] of LOCKFILES) {
      const path = join(current, file);
      if (existsSync(path)) return { name, lockfile: path };
    }
    if (current === dirname(current)) return { name: 'npm', lockfile: undefined };
  }
}

export type Operation = 'add' | 'remove';

/**
 * The argument vector: `npm install x`, `pnpm add x`, `yarn remove x`, ... In a pnpm workspace (a
 * checkout of this repository) the workspace package holding `dir` is named with `--filter`, since
 * pnpm refuses `add` at the workspace root and would fetch workspace packages from the registry.
 */
export function packageManagerArgs(
  manager: PackageManagerName,
  operation: Operation,
  packages: readonly string[],
  dir?: string,
): string[] {
  const workspace = manager === 'pnpm' && dir !== undefined ? findPnpmWorkspace(dir) : undefined;
  if (workspace !== undefined) {
    if (operation === 'add') return pnpmWorkspaceAddArgs(workspace, dir ?? workspace.root, packages);
    // The same target (`--filter <name>` or `-w`) with `remove` for `add`, and the plain names.
    const target = pnpmWorkspaceAddArgs(workspace, dir ?? workspace.root, []);
    target[target[0] === '--filter' ? 2 : 0] = 'remove';
    return [...target, ...packages];
  }
  const verb =
    manager === 'npm'
      ? operation === 'add'
        ? 'install'
        : 'uninstall'
      : operation === 'add'
        ? 'add'
        : 'remove';
  return [verb, ...packages];
}

export interface RunResult {
  readonly status: number;
  /** stdout and stderr interleaved as they came. */
  readonly output: string;
  /** Set when the program could not be started at all (not on PATH, say). */
  readonly spawnError?: string;
}

export function runPackageManager(
  manager: PackageManagerName,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>>; signal: AbortSignal },
): Promise<RunResult> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(manager, args, {
      cwd: options.cwd,
      env: { ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
      // npm and pnpm are .cmd shims on Windows.
      shell: process.platform === 'win32',
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => {
      resolve({
        status: -1,
        output,
        spawnError: error.code === 'ENOENT' ? `${manager} is not on PATH` : error.message,
      });
    });
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 128 : 1), output }));
  });
}

/**
 * The lines of a package manager's output that say what went wrong: its error lines (npm's
 * `npm error`, pnpm's `ERR_PNPM_*`, yarn's `error`), else the last lines.
 */
export function errorSummary(output: string, maxLines = 12): string {
  const lines = output
    // Terminal colour codes (ESC [ ... m) would clutter the summary.
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .split(/\r?\n/)
    .map((line) => line.trimEnd());
  const meaningful = lines.filter((line) => line.trim() !== '');
  const errors = meaningful.filter(
    (line) =>
      /^(npm (error|ERR!)|error\b|ERR_PNPM|\s*ERR_|.*\bERR_PNPM_)/i.test(line) &&
      !/A complete log of this run|^npm error\s*$/i.test(line),
  );
  const chosen = (errors.length > 0 ? errors : meaningful).slice(errors.length > 0 ? 0 : -maxLines);
  return chosen.slice(0, maxLines).join('\n');
}
