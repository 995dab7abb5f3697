import { requireText, type ThrottleRow, throttleFromRow } from '../rows.js';
import type { LoginThrottle, LoginThrottleStore, ServerValueStore } from '../types.js';
import type { PgContext } from './context.js';

/** Login limits and the server's own values: small rows every replica shares. */
export class PgServerStateStore implements LoginThrottleStore, ServerValueStore {
  constructor(private readonly context: PgContext) {}

  async getLoginThrottle(key: string): Promise<LoginThrottle | undefined> {
    const [row] = await this.context.query<ThrottleRow>('SELECT * FROM login_throttles WHERE key = $1', [
      key,
    ]);
    return row && throttleFromRow(row);
  }

  async putLoginThrottle(key: string, throttle: LoginThrottle | undefined): Promise<void> {
    if (throttle === undefined) {
      await this.context.execute('DELETE FROM login_throttles WHERE key = $1', [key]);
      return;
    }
    await this.context.execute(
      `INSERT INTO login_throttles (key, failures_json, locked_until, lockouts, last_activity)
         VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET failures_json = excluded.failures_json,
         locked_until = excluded.locked_until, lockouts = excluded.lockouts, last_activity = excluded.last_activity`,
      [
        requireText(key, 'The login limit key'),
        JSON.stringify(throttle.failures),
        throttle.lockedUntil,
        throttle.lockouts,
        throttle.lastActivity,
      ],
    );
  }

  deleteLoginThrottles(before: number): Promise<number> {
    return this.context.execute(
      'DELETE FROM login_throttles WHERE last_activity < $1 AND locked_until < $1',
      [before],
    );
  }

  async getServerValue(key: string): Promise<string | undefined> {
    const [row] = await this.context.query<{ value: string }>(
      'SELECT value FROM server_values WHERE key = $1',
      [key],
    );
    return row?.value;
  }

  async initServerValue(key: string, value: string): Promise<string> {
    await this.context.execute(
      'INSERT INTO server_values (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
      [requireText(key, 'The server value key'), requireText(value, 'The server value')],
    );
    return (await this.getServerValue(key)) as string;
  }
}
