import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Failure } from './failure.js';
import { git, lines } from './git.js';
import { runCommand, tail } from './run.js';
import { compareVersions, parseVersion, type Version } from './semver.js';
import { publishablePackages, type WorkspacePackage } from './workspace.js';

/** The newest release of a package reachable from HEAD: the tag `changeset publish` wrote. */
export interface Release {
  readonly tag: string;
  readonly version: Version;
}

/** Why a package needs a pending changeset, or undefined when it does not. */
export interface Change {
  readonly package: WorkspacePackage;
  readonly reason: string;
}

export interface ChangesetCheckResult {
  /** The ref `changeset status --since` compared with (the newest release tag, else the root commit). */
  readonly since: string;
  /** Packages with at least one pending changeset. */
  readonly covered: readonly string[];
  /** Packages that need a pending changeset, with the reason. */
  readonly changed: readonly Change[];
  readonly failures: readonly Failure[];
}

/**
 * The newest `<name>@<version>` tag merged into HEAD. With independent versioning `changeset
 * publish` tags each package it publishes that way; no tag means the package was never released.
 */
export async function lastRelease(root: string, name: string): Promise<Release | undefined> {
  const tags = lines(await git(root, ['tag', '--merged', 'HEAD', '--list', `${name}@*`]));
  let newest: Release | undefined;
  for (const tag of tags) {
    const version = parseVersion(tag.slice(name.length + 1));
    if (version !== undefined && (newest === undefined || compareVersions(version, newest.version) > 0)) {
      newest = { tag, version };
    }
  }
  return newest;
}

/**
 * Whether a package changed since its last release: its files differ from the release tag (committed
 * or not, untracked files included). A package never released has changed by definition. A package
 * whose version is already above its last release was versioned by `changeset version` and waits
 * for `changeset publish`: its changesets were consumed on purpose.
 */
export async function changeSinceRelease(root: string, pkg: WorkspacePackage): Promise<Change | undefined> {
  const release = await lastRelease(root, pkg.name);
  if (release === undefined) {
    return { package: pkg, reason: `never released (no ${pkg.name}@<version> tag)` };
  }
  const current = parseVersion(pkg.version);
  if (current !== undefined && compareVersions(current, release.version) > 0) return undefined;
  const files = [
    ...lines(await git(root, ['diff', '--name-only', '--no-relative', release.tag, '--', pkg.dir])),
    ...lines(await git(root, ['ls-files', '--others', '--exclude-standard', '--', pkg.dir])),
  ];
  if (files.length === 0) return undefined;
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? `, and ${files.length - 3} more` : '');
  return { package: pkg, reason: `changed since ${release.tag}: ${shown}` };
}

/**
 * The ref `changeset status --since` compares with: the newest release tag of any package (the last
 * release), or the root commit when nothing was ever released, so that everything counts as changed.
 */
export async function statusBase(root: string, packages: readonly WorkspacePackage[]): Promise<string> {
  let newest: { tag: string; date: number } | undefined;
  for (const pkg of packages) {
    const release = await lastRelease(root, pkg.name);
    if (release === undefined) continue;
    const date = Number((await git(root, ['log', '-1', '--format=%ct', release.tag])).trim());
    if (newest === undefined || date > newest.date) newest = { tag: release.tag, date };
  }
  if (newest !== undefined) return newest.tag;
  const roots = lines(await git(root, ['rev-list', '--max-parents=0', 'HEAD']));
  const first = roots.at(-1);
  if (first === undefined) throw new Error(`${root} has no commits; commit before checking changesets.`);
  return first;
}

/**
 * Runs `changeset status --since <base>`, which reads and validates the changesets added since
 * `base` the way `changeset version` will (it refuses one that names an unknown package or bump),
 * and returns its refusal, if any.
 */
export async function changesetStatus(root: string, since: string): Promise<Failure | undefined> {
  const require = createRequire(import.meta.url);
  const bin = require.resolve('@changesets/cli/bin.js');
  const result = await runCommand(process.execPath, [bin, 'status', '--since', since], {
    cwd: root,
    timeoutMs: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (result.status === 0) return undefined;
  // Its repository-wide gate ("changed but no changesets were found") is coarser than the
  // per-package rule and wrong between `changeset version` and `changeset publish`; the per-package
  // rule reports those packages by name instead. Any other refusal (a changeset naming an unknown
  // package, a bad bump) stands.
  if (/no changesets were found/.test(result.stderr + result.stdout)) return undefined;
  return {
    package: '(workspace)',
    check: 'changeset status',
    problem: `changeset status --since ${since} failed (exit ${result.status ?? 'signal'}): ${tail(result.stderr || result.stdout)}`,
    fix: 'run `pnpm changeset`, select the packages you changed and describe the change (see CONTRIBUTING.md); `git add` it.',
  };
}

/**
 * The packages named in the pending changesets of `.changeset/`, tracked or not (changesets' own
 * `--since` reading sees only files git tracks, which would hide a changeset just written).
 */
export async function pendingChangesetPackages(root: string): Promise<Set<string>> {
  const dir = join(root, '.changeset');
  const names = new Set<string>();
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.md') || /^README\.md$/i.test(file)) continue;
    for (const name of changesetPackages(await readFile(join(dir, file), 'utf8'))) names.add(name);
  }
  return names;
}

/** The package names in a changeset's front matter (`"name": patch|minor|major`). */
export function changesetPackages(text: string): string[] {
  const match = /^\s*---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (match?.[1] === undefined) return [];
  return lines(match[1]).flatMap((line) => {
    const entry = /^\s*(["']?)([^"'\s:]+)\1\s*:\s*(patch|minor|major|none)\s*$/.exec(line);
    return entry?.[2] === undefined ? [] : [entry[2]];
  });
}

/**
 * Every publishable package changed since its last release must be named in a pending changeset;
 * `changeset status` alone passes as soon as any changeset exists, so the per-package rule is ours.
 */
export async function checkChangesets(root: string): Promise<ChangesetCheckResult> {
  const packages = await publishablePackages(root);
  const since = await statusBase(root, packages);
  const statusFailure = await changesetStatus(root, since);
  const covered = await pendingChangesetPackages(root);
  const changed = (await Promise.all(packages.map((pkg) => changeSinceRelease(root, pkg)))).filter(
    (change): change is Change => change !== undefined,
  );
  const failures: Failure[] = statusFailure === undefined ? [] : [statusFailure];
  const missing = changed
    .filter((change) => !covered.has(change.package.name))
    .map((change) => ({
      package: change.package.name,
      check: 'changeset',
      problem: `${change.reason}, and no pending changeset names it.`,
      fix: `run \`pnpm changeset\`, select ${change.package.name}, pick the bump (patch, minor or major) and describe the change (see CONTRIBUTING.md).`,
    }));
  failures.push(...missing);
  return { since, covered: [...covered].sort(), changed, failures };
}
