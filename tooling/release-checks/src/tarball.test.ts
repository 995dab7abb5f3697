import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './run.js';
import { readTarball } from './tarball.js';

let dir: string;
const longName = `dist/${'nested-folder/'.repeat(8)}index.d.ts`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'release-checks-tar-'));
  await mkdir(join(dir, 'package', longName, '..'), { recursive: true });
  await writeFile(join(dir, 'package', 'package.json'), '{"name":"x"}');
  await writeFile(join(dir, 'package', longName), 'export {};\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readTarball', () => {
  it.each(['pax', 'gnu', 'ustar'])(
    'reads a %s tarball, long names included, without the package/ folder',
    async (format) => {
      const file = join(dir, `${format}.tgz`);
      const result = await runCommand('tar', [`--format=${format}`, '-czf', file, 'package'], { cwd: dir });
      expect(result.status, result.stderr).toBe(0);
      const files = readTarball(await readFile(file));
      expect(files.get('package.json')?.toString()).toBe('{"name":"x"}');
      expect(files.get(longName)?.toString()).toBe('export {};\n');
      // Folders are not files of the package.
      expect([...files.keys()].sort()).toEqual([longName, 'package.json'].sort());
    },
  );

  it('refuses data that is not gzipped, naming it', () => {
    expect(() => readTarball(Buffer.from('not a tarball'), 'x-1.0.0.tgz')).toThrow(
      'x-1.0.0.tgz is not a gzipped tarball',
    );
  });

  it('refuses a truncated tarball', async () => {
    const file = join(dir, 'whole.tgz');
    await runCommand('tar', ['--format=pax', '-czf', file, 'package'], { cwd: dir });
    const { gunzipSync } = await import('node:zlib');
    const raw = gunzipSync(await readFile(file));
    // Cut inside the first file's body.
    const cut = gzipSync(raw.subarray(0, 512 * 3 + 5));
    expect(() => readTarball(cut, 'cut.tgz')).toThrow(
      /cut\.tgz (ends inside|ends without|has a corrupt header)/,
    );
  });
});
