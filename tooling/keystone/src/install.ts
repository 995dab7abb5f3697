import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KeystoneUnavailableError } from './errors.js';
import { run } from './run.js';

/** The files the harness runs; all come from the `keystone`, `uwsgi-core` and `uwsgi-plugin-python3` packages. */
export const KEYSTONE_FILES = {
  keystoneManage: '/usr/bin/keystone-manage',
  wsgiPublic: '/usr/bin/keystone-wsgi-public',
  uwsgi: '/usr/bin/uwsgi',
  python3Plugin: '/usr/lib/uwsgi/plugins/python3_plugin.so',
} as const;

/** The shell script that installs the packages without starting services; `.ci/run` may call it too. */
export const INSTALL_SCRIPT = fileURLToPath(new URL('../scripts/install-keystone.sh', import.meta.url));

export interface InstallHost {
  /** Whether a file exists. */
  readonly exists: (path: string) => boolean;
  /** The effective user id, 0 for root; undefined where the platform has none. */
  readonly uid: number | undefined;
}

const realHost: InstallHost = {
  exists: existsSync,
  uid: process.geteuid?.(),
};

/** Which of the harness's files are missing, by path. */
export function missingFiles(host: InstallHost = realHost): string[] {
  return Object.values(KEYSTONE_FILES).filter((path) => !host.exists(path));
}

/**
 * Why the packages cannot be installed here, or undefined when they can: apt-get must exist and we
 * must be root. Only these two make Keystone "unavailable"; a failing install is an error.
 */
export function cannotInstallReason(host: InstallHost = realHost): string | undefined {
  if (!host.exists('/usr/bin/apt-get')) {
    return 'apt-get is not on this machine, so Debian\'s "keystone" package cannot be installed';
  }
  if (host.uid !== 0) {
    return `installing Debian's "keystone" package needs root, and this process runs as uid ${host.uid ?? 'unknown'}`;
  }
  return undefined;
}

/**
 * Why startKeystone would throw KeystoneUnavailableError here, or undefined when it can run (the
 * packages are present, or can be installed). Cheap and without side effects, so a test file can
 * decide at collection time whether its Keystone suite runs.
 */
export function keystoneUnavailableReason(host: InstallHost = realHost): string | undefined {
  const missing = missingFiles(host);
  if (missing.length === 0) return undefined;
  const reason = cannotInstallReason(host);
  return reason && `${missing.join(', ')} missing; ${reason}`;
}

export interface EnsureInstalledOptions {
  /** Install missing packages with apt-get; with false, missing packages make Keystone unavailable. */
  readonly install?: boolean | undefined;
  /** Progress lines ("installing ..."); silent by default. */
  readonly log?: ((line: string) => void) | undefined;
  /** Give up on apt after this long; default 15 minutes (a first install downloads ~100 packages). */
  readonly timeoutMs?: number | undefined;
  /** The machine as seen by the checks (tests replace it). */
  readonly host?: InstallHost | undefined;
}

/**
 * Makes sure Keystone and uWSGI's Python 3 plugin are installed, installing them with apt-get when
 * they are not. Returns at once when everything is present, so only a machine's first run pays.
 * Throws KeystoneUnavailableError when they are missing and cannot be installed.
 */
export async function ensureKeystoneInstalled(options: EnsureInstalledOptions = {}): Promise<void> {
  const host = options.host ?? realHost;
  const missing = missingFiles(host);
  if (missing.length === 0) return;
  if (options.install === false) {
    throw new KeystoneUnavailableError(`${missing.join(', ')} missing and installing was turned off`);
  }
  const reason = keystoneUnavailableReason(host);
  if (reason) throw new KeystoneUnavailableError(reason);
  options.log?.(
    `installing keystone, uwsgi-core and uwsgi-plugin-python3 with apt-get (missing: ${missing.join(', ')})`,
  );
  const started = Date.now();
  await run('/bin/bash', [INSTALL_SCRIPT], { timeoutMs: options.timeoutMs ?? 15 * 60_000 });
  const still = missingFiles(host);
  if (still.length > 0) {
    throw new Error(`apt-get installed the Keystone packages but ${still.join(', ')} are still missing.`);
  }
  options.log?.(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}
