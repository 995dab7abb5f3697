import { readFileSync } from 'node:fs';

/**
 * This package's version, from its package.json: the nearest one above this module, which is
 * `src/` when run from source and `dist/` when built.
 */
export const SERVER_VERSION: string = readOwnVersion();

function readOwnVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === '@slipstream/server' && typeof manifest.version === 'string')
        return manifest.version;
    } catch {
      // No package.json here: look one level up.
    }
    if (dir.pathname === '/') return '0.0.0';
  }
}
