import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPublint } from './publint-check.js';
import { runCommand } from './run.js';

let dir: string;
let tarball: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'release-checks-publint-'));
  await mkdir(join(dir, 'package', 'dist'), { recursive: true });
  // "main" names a file the tarball does not have: a publint error.
  await writeFile(
    join(dir, 'package', 'package.json'),
    JSON.stringify({
      name: 'fixture',
      version: '1.0.0',
      type: 'module',
      main: './dist/missing.js',
      files: ['dist'],
    }),
  );
  await writeFile(join(dir, 'package', 'dist', 'index.js'), 'export {};\n');
  const file = join(dir, 'fixture.tgz');
  const result = await runCommand('tar', ['-czf', file, 'package'], { cwd: dir });
  expect(result.status, result.stderr).toBe(0);
  tarball = await readFile(file);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkPublint', () => {
  it('reports what publint finds in the tarball, with the field and publint’s explanation', async () => {
    const failures = await checkPublint('fixture', tarball, []);
    const missing = failures.find((failure) => failure.problem.startsWith('FILE_DOES_NOT_EXIST'));
    expect(missing).toMatchObject({ package: 'fixture', check: 'publint error' });
    expect(missing?.problem).toContain('at pkg.main');
    expect(missing?.problem).toContain('./dist/missing.js');
  });

  it('drops only the messages the allow-list names for that package', async () => {
    const all = await checkPublint('fixture', tarball, []);
    const allowed = await checkPublint('fixture', tarball, [
      { package: 'fixture', code: 'FILE_DOES_NOT_EXIST', reason: 'test' },
    ]);
    const otherPackage = await checkPublint('fixture', tarball, [
      { package: 'another', code: 'FILE_DOES_NOT_EXIST', reason: 'test' },
    ]);
    expect(allowed.length).toBe(
      all.length - all.filter((f) => f.problem.startsWith('FILE_DOES_NOT_EXIST')).length,
    );
    expect(allowed.some((f) => f.problem.startsWith('FILE_DOES_NOT_EXIST'))).toBe(false);
    expect(otherPackage).toEqual(all);
  });
});
