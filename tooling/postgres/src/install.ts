import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresUnavailableError } from './errors.js';
import { cleanEnv, run } from './run.js';

/** Where Debian's postgresql-NN packages put each major version's server programs. */
export const POSTGRES_LIB_DIR = '/usr/lib/postgresql';

/** Serialises installs: test projects start in parallel, and a second apt-get would fail on dpkg's lock. */
export const INSTALL_LOCK = '/var/lock/slipstream-postgres-install.lock';

export interface InstallHost {
  /** Whether a file exists. */
  readonly exists: (path: string) => boolean;
  /** The names in a directory; empty when it does not exist. */
  readonly list: (dir: string) => string[];
  /** The effective user id, 0 for root; undefined where the platform has none. */
  readonly uid: number | undefined;
}

const realHost: InstallHost = {
  exists: existsSync,
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  uid: process.geteuid?.(),
};

/** An installed PostgreSQL: its major version and the directory with initdb and postgres. */
export interface PostgresInstall {
  readonly major: number;
  readonly bin: string;
}

/**
 * The newest installed major version that has both initdb and postgres (Debian can hold several
 * side by side; postgresql-client alone has no initdb), or undefined when there is none.
 */
export function findPostgres(host: InstallHost = realHost): PostgresInstall | undefined {
  return host
    .list(POSTGRES_LIB_DIR)
    .filter((name) => /^\d+$/.test(name))
    .map((name) => ({ major: Number(name), bin: join(POSTGRES_LIB_DIR, name, 'bin') }))
    .filter(({ bin }) => host.exists(join(bin, 'initdb')) && host.exists(join(bin, 'postgres')))
    .sort((a, b) => b.major - a.major)[0];
}

/**
 * Why the package cannot be installed here, or undefined when it can: apt-get must exist and we
 * must be root. Only these two make PostgreSQL "unavailable"; a failing install is an error.
 */
export function cannotInstallReason(host: InstallHost = realHost): string | undefined {
  if (!host.exists('/usr/bin/apt-get')) {
    return 'apt-get is not on this machine, so Debian\'s "postgresql" package cannot be installed';
  }
  if (host.uid !== 0) {
    return `installing Debian's "postgresql" package needs root, and this process runs as uid ${host.uid ?? 'unknown'}`;
  }
  return undefined;
}

/**
 * Why startPostgres would throw PostgresUnavailableError here, or undefined when it can run (the
 * server is installed, or can be). Cheap and without side effects, so a test file can decide at
 * collection time whether its PostgreSQL suite runs.
 */
export function postgresUnavailableReason(host: InstallHost = realHost): string | undefined {
  if (findPostgres(host)) return undefined;
  const reason = cannotInstallReason(host);
  return reason && `no ${POSTGRES_LIB_DIR}/*/bin/initdb; ${reason}`;
}

/**
 * The install, as one shell script run under flock: a second caller waits for the first and then
 * finds the server there. `dpkg --configure -a` first, because a dpkg run killed half-way (a test
 * interrupted during an install) leaves dpkg refusing every later install until it is finished.
 * The lock timeout makes apt wait for another apt (the Keystone harness installing at the same
 * time) instead of failing at once.
 */
export const INSTALL_SCRIPT = `set -e
for initdb in ${POSTGRES_LIB_DIR}/*/bin/initdb; do [ -x "$initdb" ] && exit 0; done
dpkg --configure -a
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql >/dev/null
`;

export interface EnsureInstalledOptions {
  /** Install a missing server with apt-get; with false, a missing server makes PostgreSQL unavailable. */
  readonly install?: boolean | undefined;
  /** Progress lines ("installing ..."); silent by default. */
  readonly log?: ((line: string) => void) | undefined;
  /** Give up on apt after this long; default 15 minutes. */
  readonly timeoutMs?: number | undefined;
  /** The machine as seen by the checks (tests replace it). */
  readonly host?: InstallHost | undefined;
}

/**
 * Makes sure a PostgreSQL server is installed, installing Debian's `postgresql` with apt-get when it
 * is not, and returns where it is. Returns at once when it is there, so only a machine's first run
 * pays. Throws PostgresUnavailableError when it is missing and cannot be installed.
 */
export async function ensurePostgresInstalled(
  options: EnsureInstalledOptions = {},
): Promise<PostgresInstall> {
  const host = options.host ?? realHost;
  const found = findPostgres(host);
  if (found) return found;
  if (options.install === false) {
    throw new PostgresUnavailableError(`no ${POSTGRES_LIB_DIR}/*/bin/initdb and installing was turned off`);
  }
  const reason = postgresUnavailableReason(host);
  if (reason) throw new PostgresUnavailableError(reason);
  options.log?.(`installing postgresql with apt-get (no ${POSTGRES_LIB_DIR}/*/bin/initdb)`);
  const started = Date.now();
  await run('flock', ['-w', '1200', INSTALL_LOCK, '/bin/sh', '-c', INSTALL_SCRIPT], {
    env: cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' }),
    timeoutMs: options.timeoutMs ?? 15 * 60_000,
  });
  const installed = findPostgres(host);
  if (!installed) {
    throw new Error(`apt-get installed postgresql but there is still no ${POSTGRES_LIB_DIR}/*/bin/initdb.`);
  }
  options.log?.(`installed PostgreSQL ${installed.major} in ${Math.round((Date.now() - started) / 1000)} s`);
  return installed;
}
