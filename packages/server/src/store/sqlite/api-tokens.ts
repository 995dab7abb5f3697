import { ServerError } from '../../errors.js';
import { isoTimestamp, newApiTokenRecord, sqliteCode, type TokenRow, tokenFromRow } from '../rows.js';
import type { ApiTokenRecord, ApiTokenStore, NewApiToken } from '../types.js';
import type { SqliteContext } from './context.js';
import { forUser } from './users.js';

export class SqliteApiTokenStore implements ApiTokenStore {
  constructor(private readonly context: SqliteContext) {}

  createApiToken(token: NewApiToken): Promise<ApiTokenRecord> {
    return this.context.run(() => {
      const record = newApiTokenRecord(token, this.context.timestamp());
      try {
        forUser(token.userId, () =>
          this.context.db
            .prepare(
              'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)',
            )
            .run(record.id, record.userId, record.name, record.tokenHash, record.createdAt),
        );
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') {
          // Which constraint failed tells the caller what to change; the hash itself is never echoed.
          const nameTaken = /api_tokens\.user_id, api_tokens\.name/.test((error as Error).message);
          throw new ServerError(
            'INVALID_REQUEST',
            nameTaken
              ? `This user already has a token named "${record.name}"; choose another name or delete that token.`
              : 'A token with this hash already exists; generate a new random token.',
          );
        }
        throw error;
      }
      return record;
    });
  }

  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    return this.context.run(() => {
      const row = this.context.db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as
        | TokenRow
        | undefined;
      return row && tokenFromRow(row);
    });
  }

  listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    return this.context.run(() =>
      (
        this.context.db
          .prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY name')
          .all(userId) as TokenRow[]
      ).map(tokenFromRow),
    );
  }

  touchApiToken(id: string, usedAt: string): Promise<void> {
    return this.context.run(() => {
      this.context.db
        .prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
        .run(isoTimestamp(usedAt, 'The last use time'), id);
    });
  }

  deleteApiToken(id: string): Promise<void> {
    return this.context.run(() => {
      this.context.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(id);
    });
  }
}
