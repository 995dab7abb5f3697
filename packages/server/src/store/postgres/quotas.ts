import { checkVmQuota } from '../rows.js';
import type { QuotaOverride, QuotaStore } from '../types.js';
import type { PgContext } from './context.js';
import { forUser } from './users.js';

export class PgQuotaStore implements QuotaStore {
  constructor(private readonly context: PgContext) {}

  async getQuotaOverride(userId: string, instance: string): Promise<QuotaOverride | undefined> {
    const [row] = await this.context.query<{ vm: string }>(
      'SELECT vm FROM quota_overrides WHERE user_id = $1 AND instance = $2',
      [userId, instance],
    );
    // BIGINT comes back as text.
    return row && { userId, instance, vm: Number(row.vm) };
  }

  async listQuotaOverrides(userId?: string): Promise<QuotaOverride[]> {
    const rows = await this.context.query<{ user_id: string; instance: string; vm: string }>(
      userId === undefined
        ? 'SELECT * FROM quota_overrides ORDER BY user_id COLLATE "C", instance COLLATE "C"'
        : 'SELECT * FROM quota_overrides WHERE user_id = $1 ORDER BY instance COLLATE "C"',
      userId === undefined ? [] : [userId],
    );
    return rows.map((row) => ({ userId: row.user_id, instance: row.instance, vm: Number(row.vm) }));
  }

  async setQuotaOverride(userId: string, instance: string, vm: number | undefined): Promise<void> {
    if (vm === undefined) {
      await this.context.execute('DELETE FROM quota_overrides WHERE user_id = $1 AND instance = $2', [
        userId,
        instance,
      ]);
      return;
    }
    checkVmQuota(instance, vm);
    await forUser(userId, () =>
      this.context.execute(
        `INSERT INTO quota_overrides (user_id, instance, vm) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, instance) DO UPDATE SET vm = excluded.vm`,
        [userId, instance, vm],
      ),
    );
  }
}
