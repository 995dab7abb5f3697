import { configurationRows, type ValueRow, valuesFromRows } from '../rows.js';
import type { Configuration, ConfigurationStore, StoredConfiguration, StoredValues } from '../types.js';
import type { PgContext } from './context.js';

export class PgConfigurationStore implements ConfigurationStore {
  constructor(private readonly context: PgContext) {}

  getConfiguration(): Promise<StoredConfiguration | undefined> {
    return this.context.snapshot((context) => readConfiguration(context));
  }

  async replaceConfiguration(configuration: Configuration): Promise<StoredConfiguration> {
    // Everything is checked and encoded before the first write; the transaction covers the rest.
    const { connectors, settings, parameters } = configurationRows(configuration);
    const updatedAt = this.context.timestamp();
    return this.context.atomically(async (context) => {
      await context.execute(
        `INSERT INTO configuration (id, connectors, updated_at) VALUES (1, $1, $2)
           ON CONFLICT (id) DO UPDATE SET connectors = excluded.connectors, updated_at = excluded.updated_at`,
        [connectors, updatedAt],
      );
      await context.execute('DELETE FROM configuration_settings');
      // One statement per table: unnest takes the rows as parallel arrays.
      await context.execute(
        'INSERT INTO configuration_settings (key, value) SELECT * FROM unnest($1::text[], $2::text[])',
        [settings.map(([key]) => key), settings.map(([, value]) => value)],
      );
      await context.execute('DELETE FROM configuration_parameters');
      await context.execute(
        `INSERT INTO configuration_parameters (instance, key, value_json, secret_blob)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
        [0, 1, 2, 3].map((column) => parameters.map((row) => row[column])),
      );
      return (await readConfiguration(context)) as StoredConfiguration;
    });
  }
}

async function readConfiguration(context: PgContext): Promise<StoredConfiguration | undefined> {
  const [head] = await context.query<{ connectors: string; updated_at: string }>(
    'SELECT connectors, updated_at FROM configuration WHERE id = 1',
  );
  if (head === undefined) return undefined;
  const settings: Record<string, string> = {};
  for (const row of await context.query<{ key: string; value: string }>(
    'SELECT key, value FROM configuration_settings ORDER BY key COLLATE "C"',
  )) {
    settings[row.key] = row.value;
  }
  const rows = await context.query<ValueRow & { instance: string }>(
    `SELECT instance, key, value_json, secret_blob FROM configuration_parameters
       ORDER BY instance COLLATE "C", key COLLATE "C"`,
  );
  const byInstance = new Map<string, ValueRow[]>();
  for (const row of rows) byInstance.set(row.instance, [...(byInstance.get(row.instance) ?? []), row]);
  const instances: Record<string, StoredValues> = {};
  for (const [instance, values] of byInstance) instances[instance] = valuesFromRows(values);
  return { basics: { connectors: head.connectors, settings }, instances, updatedAt: head.updated_at };
}
