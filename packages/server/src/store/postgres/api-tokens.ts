import { ServerError } from '../../errors.js';
import { isoTimestamp, newApiTokenRecord, type TokenRow, tokenFromRow } from '../rows.js';
import type { ApiTokenRecord, ApiTokenStore, NewApiToken } from '../types.js';
import { type PgContext, pgCode, pgConstraint } from './context.js';
import { forUser } from './users.js';

export class PgApiTokenStore implements ApiTokenStore {
  constructor(private readonly context: PgContext) {}

  async createApiToken(token: NewApiToken): Promise<ApiTokenRecord> {
    const record = newApiTokenRecord(token, this.context.timestamp());
    try {
      await forUser(token.userId, () =>
        this.context.execute(
          'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
          [record.id, record.userId, record.name, record.tokenHash, record.createdAt],
        ),
      );
    } catch (error) {
      if (pgCode(error) === '23505') {
        // Which constraint failed tells the caller what to change; the hash itself is never echoed.
        throw new ServerError(
          'INVALID_REQUEST',
          pgConstraint(error) === 'api_tokens_user_id_name_key'
            ? `This user already has a token named "${record.name}"; choose another name or delete that token.`
            : 'A token with this hash already exists; generate a new random token.',
        );
      }
      throw error;
    }
    return record;
  }

  async findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const [row] = await this.context.query<TokenRow>('SELECT * FROM api_tokens WHERE token_hash = $1', [
      tokenHash,
    ]);
    return row && tokenFromRow(row);
  }

  async listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.context.query<TokenRow>(
      'SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY name COLLATE "C"',
      [userId],
    );
    return rows.map(tokenFromRow);
  }

  async touchApiToken(id: string, usedAt: string): Promise<void> {
    await this.context.execute('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [
      isoTimestamp(usedAt, 'The last use time'),
      id,
    ]);
  }

  async deleteApiToken(id: string): Promise<void> {
    await this.context.execute('DELETE FROM api_tokens WHERE id = $1', [id]);
  }
}
