import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The environment every command of the release test runs in: this process's, less what the
 * `pnpm test` and vitest around us inject (npm_* variables would point npm at the workspace's
 * settings, NODE_OPTIONS at vitest's loaders), plus the settings that keep a native build offline.
 */
export function commandEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(name) || name === 'NODE_OPTIONS' || name === 'INIT_CWD') continue;
    env[name] = value;
  }
  // better-sqlite3 (the server's store) compiles with node-gyp: its prebuilt binaries are on
  // GitHub, which tests must not contact, and node-gyp would download Node's headers unless it is
  // pointed at the ones installed next to this Node.
  env.npm_config_build_from_source = 'better-sqlite3';
  const headers = nodeHeadersDir();
  if (headers !== undefined) env.npm_config_nodedir = headers;
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  return { ...env, ...extra };
}

/** The installation prefix of this Node when its C headers are there (`<prefix>/include/node`). */
function nodeHeadersDir(): string | undefined {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}
