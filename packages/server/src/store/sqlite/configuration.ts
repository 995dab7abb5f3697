import { configurationRows, type ValueRow, valuesFromRows } from '../rows.js';
import type { Configuration, ConfigurationStore, StoredConfiguration, StoredValues } from '../types.js';
import type { SqliteContext } from './context.js';

export class SqliteConfigurationStore implements ConfigurationStore {
  constructor(private readonly context: SqliteContext) {}

  getConfiguration(): Promise<StoredConfiguration | undefined> {
    return this.context.run(() => this.readConfiguration());
  }

  private readConfiguration(): StoredConfiguration | undefined {
    const { db } = this.context;
    // One read transaction, so a concurrent writer (another process) cannot show us a mix.
    return db.transaction(() => {
      const head = db.prepare('SELECT connectors, updated_at FROM configuration WHERE id = 1').get() as
        | { connectors: string; updated_at: string }
        | undefined;
      if (head === undefined) return undefined;
      const settings: Record<string, string> = {};
      for (const row of db.prepare('SELECT key, value FROM configuration_settings ORDER BY key').all() as {
        key: string;
        value: string;
      }[]) {
        settings[row.key] = row.value;
      }
      const rows = db
        .prepare(
          'SELECT instance, key, value_json, secret_blob FROM configuration_parameters ORDER BY instance, key',
        )
        .all() as (ValueRow & { instance: string })[];
      const byInstance = new Map<string, ValueRow[]>();
      for (const row of rows) byInstance.set(row.instance, [...(byInstance.get(row.instance) ?? []), row]);
      const instances: Record<string, StoredValues> = {};
      for (const [instance, values] of byInstance) instances[instance] = valuesFromRows(values);
      return { basics: { connectors: head.connectors, settings }, instances, updatedAt: head.updated_at };
    })();
  }

  replaceConfiguration(configuration: Configuration): Promise<StoredConfiguration> {
    return this.context.run(() => {
      // Everything is checked and encoded before the first write; the transaction covers the rest.
      const { connectors, settings, parameters } = configurationRows(configuration);
      const updatedAt = this.context.timestamp();
      const { db } = this.context;
      db.transaction(() => {
        db.prepare(
          `INSERT INTO configuration (id, connectors, updated_at) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET connectors = excluded.connectors, updated_at = excluded.updated_at`,
        ).run(connectors, updatedAt);
        db.prepare('DELETE FROM configuration_settings').run();
        const setting = db.prepare('INSERT INTO configuration_settings (key, value) VALUES (?, ?)');
        for (const [key, value] of settings) setting.run(key, value);
        db.prepare('DELETE FROM configuration_parameters').run();
        const parameter = db.prepare(
          'INSERT INTO configuration_parameters (instance, key, value_json, secret_blob) VALUES (?, ?, ?, ?)',
        );
        for (const row of parameters) parameter.run(...row);
      })();
      return this.readConfiguration() as StoredConfiguration;
    });
  }
}
