/**
 * API tokens: each user creates, lists and revokes their own. A token is shown once, when it is
 * created; the store keeps only its hash, and listings show what it is for and when it was used,
 * never the token or its hash. Another user's token is answered exactly like one that does not
 * exist, so ids cannot be probed.
 */

import { ServerError } from '../errors.js';
import { generateToken, hashToken, isTokenFormat } from '../security/generated.js';
import type { ApiTokenRecord, Store, UserRecord } from '../store/types.js';

/** What a listing shows of a token. */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** null until the token is first used; recorded to the minute. */
  readonly lastUsedAt: string | null;
}

export function tokenView(record: ApiTokenRecord): TokenView {
  return {
    id: record.id,
    name: record.name,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt ?? null,
  };
}

/** Creates a token for the user; the token itself is returned here and never again. */
export async function createApiToken(
  store: Store,
  user: UserRecord,
  name: string,
): Promise<{ record: ApiTokenRecord; token: string }> {
  const token = generateToken();
  const record = await store.createApiToken({
    userId: user.id,
    name: name.trim(),
    tokenHash: hashToken(token),
  });
  return { record, token };
}

/** Deletes one of the user's tokens; NOT_FOUND for any other id. */
export async function revokeApiToken(store: Store, user: UserRecord, id: string): Promise<ApiTokenRecord> {
  // Looked up among the user's own tokens only: someone else's id is simply not there.
  const record = (await store.listApiTokens(user.id)).find((token) => token.id === id);
  if (record === undefined) {
    throw new ServerError(
      'NOT_FOUND',
      'You have no API token with this id; list your tokens with GET /api/tokens.',
    );
  }
  await store.deleteApiToken(record.id);
  return record;
}

/** How stale an API token's recorded last use may get. */
const TOKEN_USE_PRECISION_MS = 60_000;

/** The enabled user a bearer token belongs to; undefined for anything else. Records its use. */
export async function userOfToken(store: Store, token: string, now: Date): Promise<UserRecord | undefined> {
  if (!isTokenFormat(token)) return undefined;
  const record = await store.findApiTokenByHash(hashToken(token));
  const user = record === undefined ? undefined : await store.getUser(record.userId);
  if (record === undefined || user === undefined || user.disabled === true) return undefined;
  // The last use is for people auditing tokens: a minute's precision spares a write per request.
  const lastUsed = record.lastUsedAt === undefined ? 0 : Date.parse(record.lastUsedAt);
  if (now.getTime() - lastUsed >= TOKEN_USE_PRECISION_MS)
    await store.touchApiToken(record.id, now.toISOString());
  return user;
}
