import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesetPackages, checkChangesets } from './changesets.js';
import { runCommand } from './run.js';

// A throwaway workspace in its own git repository: two publishable packages (a, b) and a private
// one, with this repository's changesets configuration.
let repo: string;

async function git(...args: string[]): Promise<void> {
  const result = await runCommand(
    'git',
    [
      '-c',
      'user.name=Release Checks',
      '-c',
      'user.email=checks@example.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd: repo },
  );
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(repo, path, '..'), { recursive: true });
  await writeFile(join(repo, path), text);
}

const manifest = (name: string, version: string, extra: Record<string, unknown> = {}): string =>
  `${JSON.stringify({ name, version, ...extra }, null, 2)}\n`;

const changeset = (releases: Record<string, string>): string =>
  `---\n${Object.entries(releases)
    .map(([name, bump]) => `"${name}": ${bump}`)
    .join('\n')}\n---\n\nA change.\n`;

async function failing(): Promise<string[]> {
  const result = await checkChangesets(repo);
  return result.failures.map((failure) => `${failure.package}: ${failure.check}`);
}

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'release-checks-changesets-'));
  await git('init', '-q', '-b', 'main');
  await write('package.json', manifest('root', '0.0.0', { private: true }));
  await write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
  await write('packages/a/package.json', manifest('a', '1.0.0'));
  await write('packages/a/index.js', 'export const a = 1;\n');
  await write('packages/b/package.json', manifest('b', '1.0.0'));
  await write('packages/b/index.js', 'export const b = 1;\n');
  await write('packages/internal/package.json', manifest('internal', '0.0.0', { private: true }));
  await write(
    '.changeset/config.json',
    await readFile(new URL('../../../.changeset/config.json', import.meta.url), 'utf8'),
  );
  await write('.changeset/README.md', 'Changesets.\n');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'initial');
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

// The steps build on each other, as a project's history does.
describe('checkChangesets in a repository', () => {
  it('refuses packages never released and without a changeset', async () => {
    const result = await checkChangesets(repo);
    // `changeset status --since <first commit>` sees no change in a one-commit history; the
    // per-package rule (no release tag: changed) is what refuses them.
    expect(result.since).toMatch(/^[0-9a-f]{40}$/);
    expect(result.failures.map((f) => `${f.package}: ${f.check}`)).toEqual(['a: changeset', 'b: changeset']);
    expect(result.failures[0]?.problem).toBe(
      'never released (no a@<version> tag), and no pending changeset names it.',
    );
    expect(result.failures[0]?.fix).toContain('run `pnpm changeset`, select a');
    expect(result.changed.map((change) => change.package.name)).toEqual(['a', 'b']);
  }, 120_000);

  it('reports the packages by name where changesets’ own status only says "no changesets were found"', async () => {
    await write('packages/b/index.js', 'export const b = 2;\n');
    await git('commit', '-q', '-am', 'change b');
    const result = await checkChangesets(repo);
    expect(result.failures.map((f) => `${f.package}: ${f.check}`)).toEqual(['a: changeset', 'b: changeset']);
  }, 120_000);

  it('passes once each package has a first-release changeset, even one not yet added to git', async () => {
    await write('.changeset/first-a.md', changeset({ a: 'minor' }));
    await git('add', '.changeset/first-a.md');
    await write('.changeset/first-b.md', changeset({ b: 'minor' }));
    expect(await failing()).toEqual([]);
  }, 120_000);

  it('passes after a release: nothing changed since the tags', async () => {
    // What `changeset version` and `changeset publish` leave: changesets consumed, one tag each.
    await rm(join(repo, '.changeset/first-a.md'));
    await rm(join(repo, '.changeset/first-b.md'));
    await git('add', '-A');
    await git('commit', '-q', '--allow-empty', '-m', 'release');
    await git('tag', 'a@1.0.0');
    await git('tag', 'b@1.0.0');
    const result = await checkChangesets(repo);
    expect(result.failures).toEqual([]);
    expect(result.changed).toEqual([]);
    expect(['a@1.0.0', 'b@1.0.0']).toContain(result.since);
  }, 120_000);

  it('refuses the one package changed since its release (committed or not) without a changeset', async () => {
    await write('packages/a/index.js', 'export const a = 2;\n');
    const result = await checkChangesets(repo);
    expect(result.failures.map((f) => `${f.package}: ${f.check}`)).toEqual(['a: changeset']);
    expect(result.failures[0]?.problem).toBe(
      'changed since a@1.0.0: packages/a/index.js, and no pending changeset names it.',
    );
    await git('commit', '-q', '-am', 'change a');
    expect(await failing()).toEqual(['a: changeset']);
  }, 120_000);

  it('counts a new untracked file as a change', async () => {
    await write('packages/b/extra.js', 'export {};\n');
    expect(await failing()).toContain('b: changeset');
    await rm(join(repo, 'packages/b/extra.js'));
  }, 120_000);

  it('refuses a change covered only by another package’s changeset (changeset status alone would pass)', async () => {
    await write('.changeset/b-only.md', changeset({ b: 'patch' }));
    await git('add', '.changeset/b-only.md');
    expect(await failing()).toEqual(['a: changeset']);
  }, 120_000);

  it('passes once the changed package has its changeset; private packages never need one', async () => {
    await write('packages/internal/index.js', 'export {};\n');
    await write('.changeset/a-fix.md', changeset({ a: 'patch' }));
    await git('add', '-A');
    expect(await failing()).toEqual([]);
  }, 120_000);

  it('passes a package versioned above its last release tag, waiting to be published', async () => {
    // `changeset version` consumed the changesets and bumped a; `changeset publish` has not run yet.
    await rm(join(repo, '.changeset/a-fix.md'));
    await rm(join(repo, '.changeset/b-only.md'));
    await write('packages/a/package.json', manifest('a', '1.0.1'));
    await write('packages/b/package.json', manifest('b', '1.0.1'));
    await git('add', '-A');
    await git('commit', '-q', '-m', 'version packages');
    expect(await failing()).toEqual([]);
  }, 120_000);

  it('reports a changeset naming a package that does not exist, as changesets reads it', async () => {
    await write('.changeset/typo.md', changeset({ 'a-typo': 'patch' }));
    await git('add', '-A');
    const result = await checkChangesets(repo);
    expect(result.failures).toEqual([expect.objectContaining({ check: 'changeset status' })]);
    expect(result.failures[0]?.problem).toContain('a-typo');
    await rm(join(repo, '.changeset/typo.md'));
    await git('add', '-A');
  }, 120_000);
});

describe('changesetPackages', () => {
  it('reads the packages of a changeset front matter, quoted or not', () => {
    const text = `---\n"@slipstream/connector-core": minor\n'@slipstream/connector-local': patch\ncreate-slipstream-connector: major\n---\n\nText: patch\n`;
    expect(changesetPackages(text)).toEqual([
      '@slipstream/connector-core',
      '@slipstream/connector-local',
      'create-slipstream-connector',
    ]);
  });

  it('reads no package from an empty changeset or text without front matter', () => {
    expect(changesetPackages('---\n---\n\nCore is published at 1.0.0.\n')).toEqual([]);
    expect(changesetPackages('"a": patch\n')).toEqual([]);
  });
});
