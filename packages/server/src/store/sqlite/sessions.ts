import { hashSessionId, isoTimestamp, requireText } from '../rows.js';
import type { LoginSessionStore, SessionRecord } from '../types.js';
import type { SqliteContext } from './context.js';
import { forUser } from './users.js';

export class SqliteLoginSessionStore implements LoginSessionStore {
  constructor(private readonly context: SqliteContext) {}

  createSession(session: SessionRecord): Promise<void> {
    return this.context.run(() => {
      const id = requireText(session.id, 'The session id');
      forUser(session.userId, () =>
        this.context.db
          .prepare('INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)')
          .run(
            hashSessionId(id),
            session.userId,
            requireText(session.csrfToken, 'The CSRF token'),
            isoTimestamp(session.expiresAt, 'The session expiry'),
          ),
      );
    });
  }

  getSession(id: string): Promise<SessionRecord | undefined> {
    return this.context.run(() => {
      const row = this.context.db
        .prepare('SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = ?')
        .get(hashSessionId(String(id))) as
        | { user_id: string; csrf_token: string; expires_at: string }
        | undefined;
      return row && { id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    });
  }

  deleteSession(id: string): Promise<void> {
    return this.context.run(() => {
      this.context.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashSessionId(String(id)));
    });
  }

  deleteSessionsOfUser(userId: string): Promise<number> {
    return this.context.run(
      () => this.context.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes,
    );
  }

  deleteExpiredSessions(now: string): Promise<number> {
    return this.context.run(
      () =>
        this.context.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(isoTimestamp(now, 'now'))
          .changes,
    );
  }
}
