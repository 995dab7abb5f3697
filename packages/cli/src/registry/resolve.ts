import { execFile } from 'node:child_process';
import type { CommandIo } from '../command.js';
import { CliError } from '../errors.js';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/**
 * The registry the user's npm configuration points at: `--registry`, else `npm_config_registry`
 * (what npm itself exports to scripts), else `npm config get registry` (which reads every .npmrc),
 * else the public registry. Always with a trailing slash, so paths join under it.
 */
export async function resolveRegistry(flag: string | undefined, io: CommandIo): Promise<string> {
  if (flag !== undefined) return normalizeRegistry(flag, '--registry');
  const fromEnv = io.env.npm_config_registry ?? io.env.NPM_CONFIG_REGISTRY;
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return normalizeRegistry(fromEnv, 'npm_config_registry');
  const fromNpm = await npmConfiguredRegistry(io);
  if (fromNpm === undefined) return DEFAULT_REGISTRY;
  try {
    return normalizeRegistry(fromNpm, 'npm config get registry');
  } catch {
    return DEFAULT_REGISTRY;
  }
}

export function normalizeRegistry(value: string, source: string): string {
  let url: URL;
  // The value may carry a password (http://user:token@host/); the message shows it without.
  const shown = withoutUserInfo(value);
  try {
    url = new URL(value.trim());
  } catch {
    throw CliError.usage(
      `${source} "${shown}" is not a URL; give the registry's address, e.g. http://127.0.0.1:4873/.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw CliError.usage(`${source} "${shown}" must be an http or https URL.`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** Drops `user:password@` from text that may not even parse as a URL. */
function withoutUserInfo(value: string): string {
  return value.replace(/^([^/?#]*\/\/)?[^/?#]*@/, (_match, start: string | undefined) => start ?? '');
}

function npmConfiguredRegistry(io: CommandIo): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['config', 'get', 'registry'],
      {
        cwd: io.cwd,
        env: { ...io.env },
        timeout: 15_000,
        signal: io.signal,
        shell: process.platform === 'win32',
      },
      (error, stdout) => {
        const value = stdout.trim();
        // npm missing or broken: the public registry is what npm would have used anyway.
        resolve(error || value === '' || value === 'undefined' ? undefined : value);
      },
    );
  });
}
