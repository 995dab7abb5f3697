import { gunzipSync } from 'node:zlib';

/** The files of an npm tarball, keyed by their path inside the package (without `package/`). */
export type TarballFiles = ReadonlyMap<string, Buffer>;

const BLOCK = 512;

/**
 * Reads a gzipped npm tarball (ustar, with the pax `path` records npm and pnpm write for long
 * names, or GNU tar's long-name records). Only regular files are kept: that is all a published package is.
 */
export function readTarball(gzipped: Uint8Array, label = 'tarball'): TarballFiles {
  let data: Buffer;
  try {
    data = gunzipSync(gzipped);
  } catch (error) {
    throw new Error(`${label} is not a gzipped tarball (${(error as Error).message}); pack it again.`);
  }
  const files = new Map<string, Buffer>();
  let offset = 0;
  let paxPath: string | undefined;
  let ended = false;
  while (offset + BLOCK <= data.length) {
    const header = data.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) {
      ended = true;
      break;
    }
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    if (!Number.isFinite(size) || size < 0)
      throw new Error(`${label} has a corrupt header at byte ${offset}.`);
    const start = offset + BLOCK;
    const body = data.subarray(start, start + size);
    if (body.length < size) throw new Error(`${label} ends inside ${name}: it is truncated; pack it again.`);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      paxPath = paxRecords(body).get('path') ?? paxPath;
      continue;
    }
    // GNU tar's long-name record: the next entry's name is this body.
    if (type === 'L') {
      paxPath = field(body, 0, body.length);
      continue;
    }
    const path = paxPath ?? (prefix === '' ? name : `${prefix}/${name}`);
    paxPath = undefined;
    if (type === '0' || type === '\0') files.set(stripPackageDir(path), Buffer.from(body));
  }
  // A tar archive ends with zero blocks; without them the file was cut short.
  if (!ended)
    throw new Error(`${label} ends without the end-of-archive marker: it is truncated; pack it again.`);
  return files;
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

/** pax extended header records: `<length> <key>=<value>\n`. */
function paxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  for (const line of body.toString('utf8').split('\n')) {
    const match = /^\d+ ([^=]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) records.set(match[1], match[2]);
  }
  return records;
}

// npm tarballs put everything under one top directory, `package/` by convention.
function stripPackageDir(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}
