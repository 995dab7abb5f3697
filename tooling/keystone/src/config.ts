import { isAbsolute, join } from 'node:path';

/** Where one Keystone keeps its files, all inside one temporary directory. */
export interface KeystonePaths {
  readonly dir: string;
  readonly config: string;
  readonly database: string;
  readonly fernetKeys: string;
  readonly credentialKeys: string;
  /** Keystone's own log (the [DEFAULT] log_file). */
  readonly keystoneLog: string;
  /** uWSGI's stdout and stderr: start-up errors of the web app land here. */
  readonly uwsgiLog: string;
}

export function keystonePaths(dir: string): KeystonePaths {
  return {
    dir,
    config: join(dir, 'keystone.conf'),
    database: join(dir, 'keystone.db'),
    fernetKeys: join(dir, 'fernet-keys'),
    credentialKeys: join(dir, 'credential-keys'),
    keystoneLog: join(dir, 'keystone.log'),
    uwsgiLog: join(dir, 'uwsgi.log'),
  };
}

export interface KeystoneConfOptions {
  /** [token] expiration in seconds; Keystone's default is 3600. */
  readonly tokenExpirationSeconds?: number | undefined;
}

/**
 * keystone.conf for one test Keystone: SQLite, fernet tokens and keys in the temporary directory,
 * a log file there, cheap password hashing, and Keystone's defaults for everything else (policies
 * included), so the tests meet the behaviour of a stock deployment.
 */
export function renderKeystoneConf(paths: KeystonePaths, options: KeystoneConfOptions = {}): string {
  for (const [name, path] of Object.entries(paths)) {
    if (!isAbsolute(path)) throw new Error(`The ${name} path ${JSON.stringify(path)} must be absolute.`);
    // A newline would start a new option in the INI file, and '%' is oslo.config's interpolation.
    if (/[\n\r%]/.test(path))
      throw new Error(`The ${name} path ${JSON.stringify(path)} cannot go in keystone.conf.`);
  }
  const expiration = options.tokenExpirationSeconds;
  if (expiration !== undefined && !(Number.isInteger(expiration) && expiration > 0)) {
    throw new Error(`tokenExpirationSeconds must be a positive whole number of seconds, got ${expiration}.`);
  }
  const lines = [
    '# Written by @slipstream/keystone-harness for one test run.',
    '[DEFAULT]',
    `log_file = ${paths.keystoneLog}`,
    'use_stderr = false',
    '',
    '[database]',
    // Four slashes: the "sqlite:///" prefix, then the absolute path.
    `connection = sqlite:///${paths.database}`,
    '',
    '[identity]',
    // bcrypt's minimum cost: a password check takes about a millisecond instead of a quarter of a
    // second, which matters to tests that authenticate often on a busy machine.
    'password_hash_rounds = 4',
    '',
    '[token]',
    'provider = fernet',
    ...(expiration === undefined ? [] : [`expiration = ${expiration}`]),
    '',
    '[fernet_tokens]',
    `key_repository = ${paths.fernetKeys}`,
    '',
    '[fernet_receipts]',
    `key_repository = ${paths.fernetKeys}`,
    '',
    '[credential]',
    `key_repository = ${paths.credentialKeys}`,
    '',
  ];
  return lines.join('\n');
}
