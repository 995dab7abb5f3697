import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHome } from './home.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipstream-home-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('checkHome', () => {
  it('accepts a directory and a path still to be created', async () => {
    await expect(checkHome(dir)).resolves.toBeUndefined();
    await expect(checkHome(join(dir, 'new', 'home'))).resolves.toBeUndefined();
  });

  it('says that a home which is a file is a file, not a permission problem', async () => {
    const file = join(dir, 'home');
    writeFileSync(file, 'not a directory');
    await expect(checkHome(file)).rejects.toThrow(
      `The server's home ${file} (SLIPSTREAM_HOME) is a file, not a directory.`,
    );
    await expect(checkHome(join(file, 'below'))).rejects.toThrow(
      'a part of its path is a file, not a directory',
    );
  });

  it('refuses, naming the home, when the file system does not answer', async () => {
    const never = () => new Promise<never>(() => {});
    await expect(checkHome('/mnt/nfs/slipstream', { stat: never, timeoutMs: 50 })).rejects.toThrow(
      "The server's home /mnt/nfs/slipstream (SLIPSTREAM_HOME) did not answer within 0.05 s",
    );
  });
});
