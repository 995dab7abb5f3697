import { requireText, type ValueRow, valueColumns, valuesFromRows } from '../rows.js';
import type { CredentialSet, CredentialStore, CredentialSummary, StoredValues } from '../types.js';
import type { SqliteContext } from './context.js';
import { forUser } from './users.js';

export class SqliteCredentialStore implements CredentialStore {
  constructor(private readonly context: SqliteContext) {}

  getCredentials(userId: string, instance: string): Promise<CredentialSet | undefined> {
    return this.context.run(() => this.readCredentials(userId, instance));
  }

  private readCredentials(userId: string, instance: string): CredentialSet | undefined {
    const { db } = this.context;
    return db.transaction(() => {
      const head = db
        .prepare('SELECT updated_at FROM credentials WHERE user_id = ? AND instance = ?')
        .get(userId, instance) as { updated_at: string } | undefined;
      if (head === undefined) return undefined;
      const rows = db
        .prepare(
          'SELECT key, value_json, secret_blob FROM credential_values WHERE user_id = ? AND instance = ? ORDER BY key',
        )
        .all(userId, instance) as ValueRow[];
      return { userId, instance, values: valuesFromRows(rows), updatedAt: head.updated_at };
    })();
  }

  listCredentials(userId: string): Promise<CredentialSummary[]> {
    return this.context.run(() =>
      (
        this.context.db
          .prepare('SELECT instance, updated_at FROM credentials WHERE user_id = ? ORDER BY instance')
          .all(userId) as { instance: string; updated_at: string }[]
      ).map((row) => ({ instance: row.instance, updatedAt: row.updated_at })),
    );
  }

  putCredentials(userId: string, instance: string, values: StoredValues): Promise<CredentialSet> {
    return this.context.run(() => {
      requireText(instance, 'The instance name');
      const rows = Object.entries(values ?? {}).map(
        ([key, value]) =>
          [key, ...valueColumns(key, value, `Credential for instance "${instance}"`)] as const,
      );
      const updatedAt = this.context.timestamp();
      const { db } = this.context;
      forUser(userId, () =>
        db.transaction(() => {
          db.prepare(
            `INSERT INTO credentials (user_id, instance, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (user_id, instance) DO UPDATE SET updated_at = excluded.updated_at`,
          ).run(userId, instance, updatedAt);
          db.prepare('DELETE FROM credential_values WHERE user_id = ? AND instance = ?').run(
            userId,
            instance,
          );
          const insert = db.prepare(
            'INSERT INTO credential_values (user_id, instance, key, value_json, secret_blob) VALUES (?, ?, ?, ?, ?)',
          );
          for (const [key, json, blob] of rows) insert.run(userId, instance, key, json, blob);
        })(),
      );
      return this.readCredentials(userId, instance) as CredentialSet;
    });
  }

  deleteCredentials(userId: string, instance: string): Promise<boolean> {
    return this.context.run(
      () =>
        this.context.db
          .prepare('DELETE FROM credentials WHERE user_id = ? AND instance = ?')
          .run(userId, instance).changes > 0,
    );
  }
}
