import { requireText, type ThrottleRow, throttleFromRow } from '../rows.js';
import type { LoginThrottle, LoginThrottleStore, ServerValueStore } from '../types.js';
import type { SqliteContext } from './context.js';

/** Login limits and the server's own values: small rows every process of the server shares. */
export class SqliteServerStateStore implements LoginThrottleStore, ServerValueStore {
  constructor(private readonly context: SqliteContext) {}

  getLoginThrottle(key: string): Promise<LoginThrottle | undefined> {
    return this.context.run(() => {
      const row = this.context.db.prepare('SELECT * FROM login_throttles WHERE key = ?').get(key) as
        | ThrottleRow
        | undefined;
      return row && throttleFromRow(row);
    });
  }

  putLoginThrottle(key: string, throttle: LoginThrottle | undefined): Promise<void> {
    return this.context.run(() => {
      const { db } = this.context;
      if (throttle === undefined) {
        db.prepare('DELETE FROM login_throttles WHERE key = ?').run(key);
        return;
      }
      db.prepare(
        `INSERT INTO login_throttles (key, failures_json, locked_until, lockouts, last_activity)
           VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures_json = excluded.failures_json,
           locked_until = excluded.locked_until, lockouts = excluded.lockouts, last_activity = excluded.last_activity`,
      ).run(
        requireText(key, 'The login limit key'),
        JSON.stringify(throttle.failures),
        throttle.lockedUntil,
        throttle.lockouts,
        throttle.lastActivity,
      );
    });
  }

  deleteLoginThrottles(before: number): Promise<number> {
    return this.context.run(
      () =>
        this.context.db
          .prepare('DELETE FROM login_throttles WHERE last_activity < ? AND locked_until < ?')
          .run(before, before).changes,
    );
  }

  getServerValue(key: string): Promise<string | undefined> {
    return this.context.run(
      () =>
        (
          this.context.db.prepare('SELECT value FROM server_values WHERE key = ?').get(key) as
            | { value: string }
            | undefined
        )?.value,
    );
  }

  initServerValue(key: string, value: string): Promise<string> {
    return this.context.run(() => {
      const { db } = this.context;
      db.prepare('INSERT INTO server_values (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
        requireText(key, 'The server value key'),
        requireText(value, 'The server value'),
      );
      return (db.prepare('SELECT value FROM server_values WHERE key = ?').get(key) as { value: string })
        .value;
    });
  }
}
