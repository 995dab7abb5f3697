/**
 * Administration without a running server, against its home directory: what an administrator
 * needs when the web pages are out of reach — the server refuses to start (`--strict`, a bad stored
 * list) or nobody can log in (a lost admin password). The `slipstream` command's `config set` and
 * `admin reset-password` run these. The store is opened as the server opens it and the secret key is
 * checked against it as at boot, so a wrong key is refused here too instead of sealing values with it.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inspectConnectorList, type LoadProblem, type ParameterSpec } from '@slipstream/connector-core';
import { STORE_FILE } from '../boot/boot.js';
import { saveConfiguration } from '../configuration/configuration.js';
import { installedParameterSpecs } from '../configuration/connector-specs.js';
import { ServerError } from '../errors.js';
import { generatePassword } from '../security/generated.js';
import { openSecretBox } from '../security/key-check.js';
import { hashPassword } from '../security/passwords.js';
import type { SecretBox } from '../security/secret-box.js';
import { DATABASE_URL_ENV, openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store, StoredConfiguration } from '../store/types.js';

export interface ServerHomeOptions {
  /** The server's home directory (SLIPSTREAM_HOME), holding its store and key. */
  readonly home: string;
  /** Where SLIPSTREAM_SECRET_KEY(_FILE) and SLIPSTREAM_DATABASE_URL are read from; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

interface OpenedHome {
  readonly store: Store;
  readonly box: SecretBox;
}

async function withServerHome<T>(
  options: ServerHomeOptions,
  work: (home: OpenedHome) => Promise<T>,
): Promise<T> {
  const env = options.env ?? process.env;
  const databaseUrl = env[DATABASE_URL_ENV]?.trim() || undefined;
  const file = join(options.home, STORE_FILE);
  // Never create a store here: a mistyped --home would otherwise get an empty one.
  if (databaseUrl === undefined && !existsSync(file)) {
    throw new ServerError(
      'CONFIG_INVALID',
      `There is no SlipStream store in ${options.home} (no ${STORE_FILE}): give the home directory the server uses (--home or SLIPSTREAM_HOME), or start the server once to create it.`,
    );
  }
  const store =
    databaseUrl === undefined
      ? await openSqliteStore({ file })
      : await openPostgresStore({ url: databaseUrl });
  try {
    const { box } = await openSecretBox(store, { home: options.home, env });
    return await work({ store, box });
  } finally {
    await store.close();
  }
}

export interface ResetPasswordOptions extends ServerHomeOptions {
  /** Whose password; `admin` by default. */
  readonly user?: string | undefined;
  /** The new password; one is generated when absent. */
  readonly password?: string | undefined;
}

export interface ResetPasswordResult {
  /** The account's name as stored. */
  readonly user: string;
  /** The new password when it was generated here: show it once, never log it. */
  readonly generatedPassword?: string;
  /** Login sessions ended: whoever held the old password is logged out. */
  readonly sessionsEnded: number;
}

/**
 * Sets a new password for an account (a lost admin password), enables the account if it was
 * disabled, and ends its login sessions. API tokens stay: they are revoked on the tokens page.
 */
export async function resetPassword(options: ResetPasswordOptions): Promise<ResetPasswordResult> {
  const name = options.user ?? 'admin';
  const password = options.password ?? generatePassword();
  // Hashed first: a password the server refuses changes nothing.
  const passwordHash = await hashPassword(password).catch((error: unknown) => {
    throw ServerError.is(error)
      ? new ServerError('INVALID_REQUEST', `The new password cannot be used: ${error.message}`)
      : error;
  });
  return withServerHome(options, async ({ store }) => {
    const user = await store.getUserByName(name);
    if (user === undefined) {
      const admins = (await store.listUsers()).filter((candidate) => candidate.role === 'admin');
      throw new ServerError(
        'NOT_FOUND',
        `There is no user "${name}" in ${options.home}. ${admins.length > 0 ? `Administrators: ${admins.map((admin) => admin.name).join(', ')}.` : 'The store has no administrator: start the server and one is created.'}`,
      );
    }
    const sessionsEnded = await store.transaction(async (tx) => {
      await tx.updateUser(user.id, { passwordHash, disabled: false });
      return tx.deleteSessionsOfUser(user.id);
    });
    return {
      user: user.name,
      sessionsEnded,
      ...(options.password === undefined ? { generatedPassword: password } : {}),
    };
  });
}

export interface ConfigurationChange extends ServerHomeOptions {
  /** Where connector packages are installed (the server installation), to check against. */
  readonly from: string | URL;
  /** The new connector list; the stored one when absent. */
  readonly connectors?: string | undefined;
  /**
   * Parameter values by instance, as text from a command line: read as the parameter's type
   * (`8080` for an integer, `true` for a flag). An empty text clears the value.
   */
  readonly values?: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined;
  /** Store even when listed instances still lack required values (answered in `missing`). */
  readonly allowMissing?: boolean | undefined;
}

export interface ConfigurationChangeResult {
  /** The connector list now stored. */
  readonly connectors: string;
  /** Required parameters still without a value: those instances load once they are set. */
  readonly missing: readonly LoadProblem[];
}

/**
 * Changes the stored configuration as the configuration page does: the whole result is checked as
 * the next boot would load it, and refused with every problem (ServerError CONFIG_INVALID) before
 * anything is written. Values not named are kept, secrets included. Takes effect at the next start.
 */
export async function changeStoredConfiguration(
  change: ConfigurationChange,
): Promise<ConfigurationChangeResult> {
  return withServerHome(change, async ({ store, box }) => {
    const stored = await store.getConfiguration();
    if (stored === undefined) {
      throw new ServerError(
        'CONFIG_INVALID',
        `The store in ${change.home} holds no configuration yet: start the server once (SLIPSTREAM_CONNECTORS sets the first list).`,
      );
    }
    const connectors = change.connectors ?? stored.basics.connectors;
    const instances = await submittedInstances(stored, connectors, change);
    const sources = { booted: { store, box, restartRequired: async () => true }, from: change.from };
    const saved = await saveConfiguration(
      sources,
      { basics: { ...stored.basics.settings, connectors }, instances },
      { allowMissing: change.allowMissing },
    );
    return { connectors, missing: saved.missing };
  });
}

/** `changeStoredConfiguration` of the list alone, accepting instances whose values are still to be set. */
export async function setStoredConnectors(options: {
  readonly home: string;
  readonly list: string;
  readonly from: string | URL;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}): Promise<{ list: string; problems: LoadProblem[] }> {
  const result = await changeStoredConfiguration({
    home: options.home,
    env: options.env,
    from: options.from,
    connectors: options.list,
    allowMissing: true,
  });
  return { list: result.connectors, problems: [...result.missing] };
}

/**
 * The sections a save submits: every stored plain value of each listed instance (a save replaces
 * a section, and values not named must stay) with the given values over them. Secrets are left out,
 * which keeps them, unless given.
 */
async function submittedInstances(
  stored: StoredConfiguration,
  connectors: string,
  change: ConfigurationChange,
): Promise<Record<string, Record<string, unknown>>> {
  const listed = new Map(
    inspectConnectorList(connectors).entries.map((entry) => [entry.instance, entry.connector]),
  );
  const instances: Record<string, Record<string, unknown>> = {};
  for (const [instance, connector] of listed) {
    const section: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stored.instances[instance] ?? {})) {
      if (value.kind === 'plain') section[key] = value.value;
    }
    const given = change.values?.[instance];
    if (given !== undefined) {
      const specs = await installedParameterSpecs(
        connector,
        change.from instanceof URL ? change.from.href : change.from,
      );
      for (const [key, text] of Object.entries(given))
        section[key] = typedValue(
          text,
          specs?.find((spec) => spec.key === key),
        );
    }
    instances[instance] = section;
  }
  // Values for an instance the list does not name are submitted too, so the save names the mistake.
  for (const [instance, given] of Object.entries(change.values ?? {})) {
    if (!listed.has(instance)) instances[instance] = { ...given };
  }
  return instances;
}

/** Command-line text read as the spec's type; left as text when it is not one (the check says so). */
function typedValue(text: string, spec: ParameterSpec | undefined): unknown {
  if (text === '') return '';
  if (spec?.type === 'integer' && /^-?\d+$/.test(text.trim())) return Number(text.trim());
  if (spec?.type === 'boolean' && /^(true|false)$/i.test(text.trim()))
    return text.trim().toLowerCase() === 'true';
  return text;
}
