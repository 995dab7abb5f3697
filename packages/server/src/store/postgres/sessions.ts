import { hashSessionId, isoTimestamp, requireText } from '../rows.js';
import type { LoginSessionStore, SessionRecord } from '../types.js';
import type { PgContext } from './context.js';
import { forUser } from './users.js';

export class PgLoginSessionStore implements LoginSessionStore {
  constructor(private readonly context: PgContext) {}

  async createSession(session: SessionRecord): Promise<void> {
    const id = requireText(session.id, 'The session id');
    const values = [
      hashSessionId(id),
      session.userId,
      requireText(session.csrfToken, 'The CSRF token'),
      isoTimestamp(session.expiresAt, 'The session expiry'),
    ];
    await forUser(session.userId, () =>
      this.context.execute(
        'INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
        values,
      ),
    );
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const [row] = await this.context.query<{ user_id: string; csrf_token: string; expires_at: string }>(
      'SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = $1',
      [hashSessionId(String(id))],
    );
    return row && { id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async deleteSession(id: string): Promise<void> {
    await this.context.execute('DELETE FROM sessions WHERE id_hash = $1', [hashSessionId(String(id))]);
  }

  deleteSessionsOfUser(userId: string): Promise<number> {
    return this.context.execute('DELETE FROM sessions WHERE user_id = $1', [userId]);
  }

  deleteExpiredSessions(now: string): Promise<number> {
    return this.context.execute('DELETE FROM sessions WHERE expires_at <= $1', [isoTimestamp(now, 'now')]);
  }
}
