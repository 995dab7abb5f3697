import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { git, lines } from './git.js';
import { pnpmCommand, runCommand } from './run.js';

/**
 * Every package's `bin` points at a small committed launcher, not at `dist`: pnpm links the
 * workspace's bins during `pnpm install`, before a fresh clone has built anything, and printed a
 * "Failed to create bin … ENOENT" warning for each link to a file that did not exist yet.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

interface Manifest {
  readonly name: string;
  readonly bin?: string | Record<string, string>;
  readonly files?: string[];
}

/** Every workspace package (private ones too: their bins are linked as well) with its folder. */
async function workspaceManifests(): Promise<{ dir: string; manifest: Manifest }[]> {
  const tracked = lines(
    await git(root, ['ls-files', '--', 'packages/*/package.json', 'tooling/*/package.json']),
  );
  return Promise.all(
    tracked.map(async (file) => ({
      dir: file.replace(/\/package\.json$/, ''),
      manifest: JSON.parse(await readFile(join(root, file), 'utf8')) as Manifest,
    })),
  );
}

function binTargets(manifest: Manifest): string[] {
  if (manifest.bin === undefined) return [];
  return typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin);
}

describe('package bins', () => {
  it('point at committed launchers outside dist, published by "files", that start with a node shebang', async () => {
    const problems: string[] = [];
    const withBins = (await workspaceManifests()).filter(({ manifest }) => binTargets(manifest).length > 0);
    // cli, server, cloud-simulators and the scaffolder have bins today; a rename must not hide them.
    expect(withBins.length).toBeGreaterThanOrEqual(4);
    for (const { dir, manifest } of withBins) {
      for (const target of binTargets(manifest)) {
        const path = normalize(target);
        const where = `${manifest.name}'s bin ${target}`;
        if (path.startsWith('dist/')) {
          problems.push(`${where} is build output: point it at a committed launcher that imports dist`);
          continue;
        }
        const committed = lines(await git(root, ['ls-files', '--', `${dir}/${path}`]));
        if (committed.length === 0) problems.push(`${where} is not committed (${dir}/${path})`);
        const published = (manifest.files ?? []).some((entry) => {
          const prefix = normalize(entry).replace(/\/$/, '');
          return path === prefix || path.startsWith(`${prefix}/`);
        });
        if (!published) problems.push(`${where} is not in "files", so the tarball would lack it`);
        const text = await readFile(join(root, dir, path), 'utf8').catch(() => '');
        if (!text.startsWith('#!/usr/bin/env node\n')) problems.push(`${where} lacks "#!/usr/bin/env node"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('are all linked by `pnpm install` in a fresh clone, before anything is built (no ENOENT warnings)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipstream-fresh-clone-'));
    scratch.push(dir);
    await git(root, ['clone', '--quiet', '--no-hardlinks', root, join(dir, 'clone')]);
    const pnpm = pnpmCommand();
    // Offline, from the store the workspace's own install filled; no scripts: only the linking
    // is under test, and better-sqlite3's build would take minutes.
    const result = await runCommand(
      pnpm.command,
      [...pnpm.prefix, 'install', '--frozen-lockfile', '--offline', '--ignore-scripts'],
      { cwd: join(dir, 'clone'), timeoutMs: 180_000, env: withoutNpmSettings() },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output).not.toMatch(/Failed to create bin/);
    expect(output).not.toMatch(/ENOENT/);
  }, 200_000);
});

/** This process's environment without what the pnpm running the tests set for its scripts. */
function withoutNpmSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'),
  );
}
