import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCommand } from './packages.js';
import { findPnpmWorkspace, pnpmWorkspaceAddArgs, workspacePatterns } from './workspace.js';

const REPOSITORY = resolve(import.meta.dirname, '../../..');

describe('pnpm workspaces', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipstream-workspace-'));
    await writeFile(
      join(root, 'pnpm-workspace.yaml'),
      "# a comment\npackages:\n  - 'apps/*'\n  - \"libs/**\"\n  - '!apps/skip'\n\nonlyBuiltDependencies:\n  - esbuild\n",
    );
    const manifest = (dir: string, name: string) =>
      mkdir(join(root, dir), { recursive: true }).then(() =>
        writeFile(join(root, dir, 'package.json'), JSON.stringify({ name })),
      );
    await manifest('.', 'the-root');
    await manifest('apps/server', '@slipstream/server');
    await manifest('apps/skip', 'skipped');
    await manifest('libs/deep/connector-foo', 'slipstream-connector-foo');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads the package globs of pnpm-workspace.yaml and nothing after them', () => {
    expect(workspacePatterns("packages:\n  - 'a/*'\n  - b # c\nother:\n  - x\n")).toEqual(['a/*', 'b']);
  });

  it('finds the workspace and its packages from a directory inside it', () => {
    const workspace = findPnpmWorkspace(join(root, 'apps', 'server'));
    expect(workspace?.root).toBe(root);
    expect(Object.fromEntries(workspace?.packages ?? [])).toEqual({
      'the-root': root,
      '@slipstream/server': join(root, 'apps', 'server'),
      'slipstream-connector-foo': join(root, 'libs', 'deep', 'connector-foo'),
    });
  });

  it('adds to the workspace package with --filter, workspace packages by the workspace protocol', () => {
    const workspace = findPnpmWorkspace(root);
    if (workspace === undefined) throw new Error('no workspace found');
    expect(
      pnpmWorkspaceAddArgs(workspace, join(root, 'apps', 'server', 'dist'), [
        'x',
        'slipstream-connector-foo',
      ]),
    ).toEqual(['--filter', '@slipstream/server', 'add', 'x', 'slipstream-connector-foo@workspace:^']);
    // pnpm refuses a bare `pnpm add` at the root: -w says it is meant.
    expect(pnpmWorkspaceAddArgs(workspace, root, ['x'])).toEqual(['add', '-w', 'x']);
  });

  it("advises a command pnpm accepts in this repository's checkout", () => {
    expect(installCommand('@slipstream/connector-aws', join(REPOSITORY, 'packages', 'server', 'dist'))).toBe(
      'pnpm --filter @slipstream/server add @slipstream/connector-aws@workspace:^',
    );
  });
});
