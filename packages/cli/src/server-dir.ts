import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { findPackage, findPnpmWorkspace } from '@slipstream/connector-core';
import { CliError } from './errors.js';

/** The package a server installation holds, and a checkout of this repository has as a workspace package. */
export const SERVER_PACKAGE = '@slipstream/server';

/**
 * The server installation: the directory whose `node_modules` holds `@slipstream/server` and the
 * connector packages next to it. `--server-dir` wins; then a checkout of this repository (a pnpm
 * workspace around the working directory with `@slipstream/server` as one of its packages: that
 * package's directory, where its connectors are dependencies; `pnpm slipstream` runs at the
 * workspace root, which has none); then the project `@slipstream/server` resolves from (the parent
 * of the `node_modules` it was found in); otherwise the working directory.
 */
export async function resolveServerDir(flag: string | undefined, cwd: string): Promise<string> {
  if (flag !== undefined) {
    const dir = resolve(cwd, flag);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw CliError.usage(
        `--server-dir ${flag}: ${dir} is not a directory; give the directory the server is installed in.`,
      );
    }
    return dir;
  }
  const checkout = findPnpmWorkspace(cwd)?.packages.get(SERVER_PACKAGE);
  if (checkout !== undefined) return checkout;
  let server: Awaited<ReturnType<typeof findPackage>>;
  try {
    server = await findPackage(SERVER_PACKAGE, cwd);
  } catch {
    // A broken server manifest is the server's problem; the installation is still where it sits.
    server = undefined;
  }
  return server === undefined ? cwd : installationOf(server.dir);
}

/** `/app/node_modules/@slipstream/server` → `/app`. */
function installationOf(packageDir: string): string {
  let dir = dirname(packageDir);
  if (basename(dir).startsWith('@')) dir = dirname(dir);
  return basename(dir) === 'node_modules' ? dirname(dir) : dir;
}
