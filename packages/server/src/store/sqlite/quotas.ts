import { checkVmQuota } from '../rows.js';
import type { QuotaOverride, QuotaStore } from '../types.js';
import type { SqliteContext } from './context.js';
import { forUser } from './users.js';

export class SqliteQuotaStore implements QuotaStore {
  constructor(private readonly context: SqliteContext) {}

  getQuotaOverride(userId: string, instance: string): Promise<QuotaOverride | undefined> {
    return this.context.run(() => {
      const row = this.context.db
        .prepare('SELECT vm FROM quota_overrides WHERE user_id = ? AND instance = ?')
        .get(userId, instance) as { vm: number } | undefined;
      return row && { userId, instance, vm: row.vm };
    });
  }

  listQuotaOverrides(userId?: string): Promise<QuotaOverride[]> {
    return this.context.run(() => {
      const { db } = this.context;
      const rows = (
        userId === undefined
          ? db.prepare('SELECT * FROM quota_overrides ORDER BY user_id, instance').all()
          : db.prepare('SELECT * FROM quota_overrides WHERE user_id = ? ORDER BY instance').all(userId)
      ) as { user_id: string; instance: string; vm: number }[];
      return rows.map((row) => ({ userId: row.user_id, instance: row.instance, vm: row.vm }));
    });
  }

  setQuotaOverride(userId: string, instance: string, vm: number | undefined): Promise<void> {
    return this.context.run(() => {
      const { db } = this.context;
      if (vm === undefined) {
        db.prepare('DELETE FROM quota_overrides WHERE user_id = ? AND instance = ?').run(userId, instance);
        return;
      }
      checkVmQuota(instance, vm);
      forUser(userId, () =>
        db
          .prepare(
            `INSERT INTO quota_overrides (user_id, instance, vm) VALUES (?, ?, ?)
             ON CONFLICT (user_id, instance) DO UPDATE SET vm = excluded.vm`,
          )
          .run(userId, instance, vm),
      );
    });
  }
}
