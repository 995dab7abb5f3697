import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectPackageManager, errorSummary, packageManagerArgs } from './package-manager.js';

describe('detectPackageManager', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipstream-pm-'));
    for (const [dir, lockfile] of [
      ['p', 'pnpm-lock.yaml'],
      ['y', 'yarn.lock'],
      ['n', 'package-lock.json'],
    ] as const) {
      await mkdir(join(root, dir, 'server', 'deep'), { recursive: true });
      await writeFile(join(root, dir, lockfile), '');
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('follows the nearest lockfile, walking up', () => {
    expect(detectPackageManager(join(root, 'p', 'server', 'deep'))).toEqual({
      name: 'pnpm',
      lockfile: join(root, 'p', 'pnpm-lock.yaml'),
    });
    expect(detectPackageManager(join(root, 'y', 'server')).name).toBe('yarn');
    expect(detectPackageManager(join(root, 'n', 'server')).name).toBe('npm');
  });

  it('uses the right verbs', () => {
    expect(packageManagerArgs('npm', 'add', ['a'])).toEqual(['install', 'a']);
    expect(packageManagerArgs('npm', 'remove', ['a'])).toEqual(['uninstall', 'a']);
    expect(packageManagerArgs('pnpm', 'add', ['a', 'b'])).toEqual(['add', 'a', 'b']);
    expect(packageManagerArgs('yarn', 'remove', ['a'])).toEqual(['remove', 'a']);
  });
});

describe('errorSummary', () => {
  it("keeps npm's error lines without the log pointer", () => {
    const output = [
      'npm http fetch GET 404 http://127.0.0.1:1/x 5ms',
      'npm error code E404',
      'npm error 404 Not Found - GET http://127.0.0.1:1/x - Not found',
      'npm error A complete log of this run can be found in: /tmp/x.log',
    ].join('\n');
    expect(errorSummary(output)).toBe(
      'npm error code E404\nnpm error 404 Not Found - GET http://127.0.0.1:1/x - Not found',
    );
  });

  it('falls back to the last lines, without colour codes', () => {
    const text = `${Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')}\n\u001b[31mfinal\u001b[39m\n`;
    const summary = errorSummary(text, 3);
    expect(summary).toBe('line 18\nline 19\nfinal');
  });
});

describe('packageManagerArgs in a pnpm workspace', () => {
  const checkout = resolve(import.meta.dirname, '../../..');
  const server = join(checkout, 'packages', 'server');

  it('names the workspace package, never a bare `pnpm add` at the root', () => {
    expect(
      packageManagerArgs('pnpm', 'add', ['@slipstream/connector-aws', 'slipstream-connector-x'], server),
    ).toEqual([
      '--filter',
      '@slipstream/server',
      'add',
      '@slipstream/connector-aws@workspace:^',
      'slipstream-connector-x',
    ]);
    expect(packageManagerArgs('pnpm', 'remove', ['@slipstream/connector-aws'], server)).toEqual([
      '--filter',
      '@slipstream/server',
      'remove',
      '@slipstream/connector-aws',
    ]);
    expect(packageManagerArgs('pnpm', 'remove', ['x'], checkout)).toEqual(['remove', '-w', 'x']);
  });
});
