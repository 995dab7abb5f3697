import { requireText, type ValueRow, valueColumns, valuesFromRows } from '../rows.js';
import type { CredentialSet, CredentialStore, CredentialSummary, StoredValues } from '../types.js';
import type { PgContext } from './context.js';
import { forUser } from './users.js';

export class PgCredentialStore implements CredentialStore {
  constructor(private readonly context: PgContext) {}

  getCredentials(userId: string, instance: string): Promise<CredentialSet | undefined> {
    return this.context.snapshot((context) => readCredentials(context, userId, instance));
  }

  async listCredentials(userId: string): Promise<CredentialSummary[]> {
    const rows = await this.context.query<{ instance: string; updated_at: string }>(
      'SELECT instance, updated_at FROM credentials WHERE user_id = $1 ORDER BY instance COLLATE "C"',
      [userId],
    );
    return rows.map((row) => ({ instance: row.instance, updatedAt: row.updated_at }));
  }

  async putCredentials(userId: string, instance: string, values: StoredValues): Promise<CredentialSet> {
    requireText(instance, 'The instance name');
    const rows = Object.entries(values ?? {}).map(
      ([key, value]) => [key, ...valueColumns(key, value, `Credential for instance "${instance}"`)] as const,
    );
    const updatedAt = this.context.timestamp();
    return forUser(userId, () =>
      this.context.atomically(async (context) => {
        await context.execute(
          `INSERT INTO credentials (user_id, instance, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, instance) DO UPDATE SET updated_at = excluded.updated_at`,
          [userId, instance, updatedAt],
        );
        await context.execute('DELETE FROM credential_values WHERE user_id = $1 AND instance = $2', [
          userId,
          instance,
        ]);
        await context.execute(
          `INSERT INTO credential_values (user_id, instance, key, value_json, secret_blob)
             SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[])`,
          [userId, instance, ...[0, 1, 2].map((column) => rows.map((row) => row[column]))],
        );
        return (await readCredentials(context, userId, instance)) as CredentialSet;
      }),
    );
  }

  async deleteCredentials(userId: string, instance: string): Promise<boolean> {
    return (
      (await this.context.execute('DELETE FROM credentials WHERE user_id = $1 AND instance = $2', [
        userId,
        instance,
      ])) > 0
    );
  }
}

async function readCredentials(
  context: PgContext,
  userId: string,
  instance: string,
): Promise<CredentialSet | undefined> {
  const [head] = await context.query<{ updated_at: string }>(
    'SELECT updated_at FROM credentials WHERE user_id = $1 AND instance = $2',
    [userId, instance],
  );
  if (head === undefined) return undefined;
  const rows = await context.query<ValueRow>(
    `SELECT key, value_json, secret_blob FROM credential_values WHERE user_id = $1 AND instance = $2
       ORDER BY key COLLATE "C"`,
    [userId, instance],
  );
  return { userId, instance, values: valuesFromRows(rows), updatedAt: head.updated_at };
}
