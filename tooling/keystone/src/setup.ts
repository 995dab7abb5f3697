import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { type KeystoneConfOptions, type KeystonePaths, renderKeystoneConf } from './config.js';
import { KEYSTONE_FILES } from './install.js';
import { cleanEnv, run } from './run.js';

export interface BootstrapSpec {
  /** The /v3 root the identity endpoints in the catalog point at. */
  readonly url: string;
  readonly region: string;
  readonly adminPassword: string;
}

/** The names `keystone-manage bootstrap` gives the first user, project and role (its defaults). */
export const BOOTSTRAP_ADMIN = { username: 'admin', project: 'admin', domain: 'Default' } as const;

/** Debian's interpreter: the one Keystone's modules are installed for, whatever is first on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Prepares a Keystone in `paths.dir`: writes keystone.conf, creates the schema, switches SQLite to
 * WAL (in the default rollback journal a reader blocks the writer and token issuing stalls on
 * "database is locked"), creates fernet and credential keys, and bootstraps the admin user,
 * project, role, the region and the identity endpoints.
 */
export async function prepareKeystone(
  paths: KeystonePaths,
  spec: BootstrapSpec,
  options: KeystoneConfOptions = {},
): Promise<void> {
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.config, renderKeystoneConf(paths, options), { mode: 0o600 });
  await chmod(paths.dir, 0o700);
  // The key repositories do not need the schema: create them while db_sync runs.
  // allSettled: when one step fails, the others still finish before the caller removes the directory.
  const steps = await Promise.allSettled([
    manage(paths, ['db_sync']).then(() => enableWal(paths.database)),
    manage(paths, ['fernet_setup', '--keystone-user', 'root', '--keystone-group', 'root']),
    manage(paths, ['credential_setup', '--keystone-user', 'root', '--keystone-group', 'root']),
  ]);
  for (const step of steps) if (step.status === 'rejected') throw step.reason;
  // The password travels in the environment rather than in argv, where `ps` would show it.
  await manage(
    paths,
    [
      'bootstrap',
      '--bootstrap-admin-url',
      spec.url,
      '--bootstrap-public-url',
      spec.url,
      '--bootstrap-internal-url',
      spec.url,
      '--bootstrap-region-id',
      spec.region,
    ],
    { OS_BOOTSTRAP_PASSWORD: spec.adminPassword },
  );
}

function manage(
  paths: KeystonePaths,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<unknown> {
  return run(KEYSTONE_FILES.keystoneManage, ['--config-file', paths.config, ...args], {
    cwd: paths.dir,
    env: cleanEnv(env),
    timeoutMs: 2 * 60_000,
  });
}

/** Sets journal_mode=WAL, which SQLite stores in the database file, so every later connection uses it. */
async function enableWal(database: string): Promise<void> {
  const script = [
    'import sqlite3, sys',
    'mode = sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL").fetchone()[0]',
    'print(mode)',
    'sys.exit(0 if mode == "wal" else 1)',
  ].join('\n');
  await run(SYSTEM_PYTHON, ['-c', script, database], { timeoutMs: 60_000 });
}
