import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * The package.json inside a package tarball (`npm pack`'s `.tgz`), read without unpacking it, so
 * that `connectors add ./x.tgz` can refuse a package that is not a connector before installing.
 * Tarballs are plain ustar: 512-byte headers, each followed by the entry's data in 512-byte blocks.
 */
export function readTarballManifest(file: string): Record<string, unknown> {
  let archive: Buffer;
  try {
    archive = gunzipSync(readFileSync(file));
  } catch (error) {
    throw new Error(`it is not a gzipped tarball (${(error as Error).message})`);
  }
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= archive.length; ) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    const data = archive.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    // GNU long names ('L') and pax headers ('x') name the entry that follows.
    if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
    else if (type === 'x') longName = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
    // npm packs everything under one top directory, `package/` by convention.
    else if (/^[^/]+\/package\.json$/.test(name) && (type === '0' || type === '\0')) {
      const manifest = JSON.parse(data.toString('utf8')) as unknown;
      if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
        throw new Error('its package.json does not hold a JSON object');
      return manifest as Record<string, unknown>;
    }
  }
  throw new Error('it holds no package/package.json, so it is not an npm package tarball');
}

function text(buffer: Buffer, start: number, length: number): string {
  return buffer
    .subarray(start, start + length)
    .toString('utf8')
    .replace(/\0.*$/s, '');
}
