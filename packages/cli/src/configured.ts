import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspectConnectorList } from '@slipstream/connector-core';
import { DATABASE_URL_ENV, openPostgresStore, openSqliteStore, STORE_FILE } from '@slipstream/server';
import { EXIT } from './command.js';
import { CliError } from './errors.js';

/**
 * The connector list a server home's store holds, for `connectors list` to say which instances use
 * which connector and `connectors add/remove` which instances they affect. Only an existing store
 * is opened (never created), and only read.
 */

export interface ConfiguredInstances {
  readonly home: string;
  /** False when there is no store, or the server never saved a configuration in it. */
  readonly found: boolean;
  readonly connectors: string | undefined;
  /** Instance names by connector name. */
  readonly byConnector: ReadonlyMap<string, readonly string[]>;
  /** The parameter keys each instance has a stored value for. */
  readonly storedKeys: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The server's home: `--home`, else SLIPSTREAM_HOME, else `.slipstream`, as the server reads it.
 * A `--home` that names no directory is refused: a mistyped data directory would otherwise read as
 * "no configuration" and the command would carry on as if that were true.
 */
export function resolveHome(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  const home = resolve(cwd, flag ?? (env.SLIPSTREAM_HOME?.trim() || '.slipstream'));
  if (flag !== undefined && !(existsSync(home) && statSync(home).isDirectory())) {
    throw CliError.usage(
      `--home ${flag}: ${home} ${existsSync(home) ? 'is not a directory' : 'does not exist'}; give the server's data directory (the one holding ${STORE_FILE}), or leave --home out to use SLIPSTREAM_HOME or ./.slipstream.`,
    );
  }
  return home;
}

export async function readConfiguredInstances(
  home: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ConfiguredInstances> {
  const none: ConfiguredInstances = {
    home,
    found: false,
    connectors: undefined,
    byConnector: new Map(),
    storedKeys: new Map(),
  };
  // Several replicas share a PostgreSQL database (SLIPSTREAM_DATABASE_URL); one server, a file in its home.
  const databaseUrl = env[DATABASE_URL_ENV]?.trim();
  const file = join(home, STORE_FILE);
  if (!databaseUrl && !existsSync(file)) return none;
  const store = databaseUrl ? await openPostgresStore({ url: databaseUrl }) : await openSqliteStore({ file });
  try {
    const configuration = await store.getConfiguration();
    if (configuration === undefined) return none;
    const connectors = configuration.basics.connectors;
    const byConnector = new Map<string, string[]>();
    for (const entry of inspectConnectorList(connectors).entries) {
      byConnector.set(entry.connector, [...(byConnector.get(entry.connector) ?? []), entry.instance]);
    }
    const storedKeys = new Map(
      Object.entries(configuration.instances).map(([instance, values]) => [
        instance,
        new Set(Object.keys(values)),
      ]),
    );
    return { home, found: true, connectors, byConnector, storedKeys };
  } finally {
    await store.close();
  }
}

/** readConfiguredInstances, with a store that cannot be read reported as the command's failure. */
export async function readConfiguredOrFail(home: string): Promise<ConfiguredInstances> {
  try {
    return await readConfiguredInstances(home);
  } catch (error) {
    const why = (error as Error).message;
    throw new CliError(
      EXIT.EXTERNAL,
      'STORE_UNREADABLE',
      process.env[DATABASE_URL_ENV]?.trim()
        ? `The server's database could not be read: ${why} Check ${DATABASE_URL_ENV}.`
        : `The server's store ${join(home, STORE_FILE)} could not be read: ${why}. Check --home and the file's permissions.`,
    );
  }
}
