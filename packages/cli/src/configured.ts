import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspectConnectorList } from '@slipstream/connector-core';
import { openSqliteStore, STORE_FILE } from '@slipstream/server';

/**
 * The connector list a server home's store holds, for `connectors list` to say which instances use
 * which connector. Only an existing store is opened (never created), and only read.
 */

export interface ConfiguredInstances {
  readonly home: string;
  /** False when there is no store, or the server never saved a configuration in it. */
  readonly found: boolean;
  readonly connectors: string | undefined;
  /** Instance names by connector name. */
  readonly byConnector: ReadonlyMap<string, readonly string[]>;
}

/** The server's home: `--home`, else SLIPSTREAM_HOME, else `.slipstream`, as the server reads it. */
export function resolveHome(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  return resolve(cwd, flag ?? (env.SLIPSTREAM_HOME?.trim() || '.slipstream'));
}

export async function readConfiguredInstances(home: string): Promise<ConfiguredInstances> {
  const none: ConfiguredInstances = { home, found: false, connectors: undefined, byConnector: new Map() };
  const file = join(home, STORE_FILE);
  if (!existsSync(file)) return none;
  const store = await openSqliteStore({ file });
  try {
    const configuration = await store.getConfiguration();
    if (configuration === undefined) return none;
    const connectors = configuration.basics.connectors;
    const byConnector = new Map<string, string[]>();
    for (const entry of inspectConnectorList(connectors).entries) {
      byConnector.set(entry.connector, [...(byConnector.get(entry.connector) ?? []), entry.instance]);
    }
    return { home, found: true, connectors, byConnector };
  } finally {
    await store.close();
  }
}
