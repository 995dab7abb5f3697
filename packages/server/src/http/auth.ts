/**
 * Who is calling: a login session (cookie; state-changing requests must also carry the session's
 * CSRF token) or an API token (`Authorization: Bearer ssk_…`, no CSRF: a browser never adds it on
 * its own). Every failure is AUTH_FAILED with one message, so probing reveals nothing about which
 * part was wrong; secrets are never echoed.
 */

import { ConnectorError } from '@slipstream/connector-core';
import type { FastifyRequest } from 'fastify';
import { assertCsrfToken, CSRF_HEADER } from '../security/csrf.js';
import { hashToken, isTokenFormat } from '../security/generated.js';
import type { Role, SessionRecord, Store, UserRecord } from '../store/types.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import type { Access } from './routes.js';

export interface Caller {
  readonly user: UserRecord;
  readonly via: 'session' | 'token';
  /** The raw session id when authenticated by cookie (to log out). */
  readonly sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** How stale an API token's recorded last use may get. */
const TOKEN_USE_PRECISION_MS = 60_000;

const NOT_LOGGED_IN =
  'You are not logged in or your session has expired; log in with POST /api/login or send "Authorization: Bearer ssk_…".';
const BAD_TOKEN =
  'The API token is not valid; send "Authorization: Bearer ssk_…" with a token from POST /api/tokens.';

function usable(user: UserRecord | undefined): user is UserRecord {
  return user !== undefined && user.disabled !== true;
}

export interface LoginSession {
  readonly session: SessionRecord;
  readonly user: UserRecord;
}

/**
 * The live login session a Cookie header carries, with its user; undefined when there is none,
 * it expired (and is then deleted) or its user is disabled. The web pages use it directly: they
 * authenticate by cookie only and need the session's CSRF token to hand to their script.
 */
export async function findLoginSession(
  cookieHeader: string | readonly string[] | undefined,
  store: Store,
  now: Date,
): Promise<LoginSession | undefined> {
  const sessionId = readCookie(cookieHeader, SESSION_COOKIE);
  if (sessionId === undefined) return undefined;
  const session = await store.getSession(sessionId);
  if (session === undefined) return undefined;
  if (Date.parse(session.expiresAt) <= now.getTime()) {
    await store.deleteSession(sessionId);
    return undefined;
  }
  const user = await store.getUser(session.userId);
  if (!usable(user)) return undefined;
  return { session, user };
}

/** Resolves the caller of a request, or throws AUTH_FAILED. */
export async function authenticate(request: FastifyRequest, store: Store, now: Date): Promise<Caller> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const token = match?.[1];
    if (token === undefined || !isTokenFormat(token)) throw new ConnectorError('AUTH_FAILED', BAD_TOKEN);
    const record = await store.findApiTokenByHash(hashToken(token));
    const user = record === undefined ? undefined : await store.getUser(record.userId);
    if (record === undefined || !usable(user)) throw new ConnectorError('AUTH_FAILED', BAD_TOKEN);
    // The last use is for people auditing tokens: a minute's precision spares a write per request.
    const lastUsed = record.lastUsedAt === undefined ? 0 : Date.parse(record.lastUsedAt);
    if (now.getTime() - lastUsed >= TOKEN_USE_PRECISION_MS)
      await store.touchApiToken(record.id, now.toISOString());
    return { user, via: 'token' };
  }
  const found = await findLoginSession(request.headers.cookie, store, now);
  if (found === undefined) throw new ConnectorError('AUTH_FAILED', NOT_LOGGED_IN);
  const { session, user } = found;
  const sessionId = session.id;
  assertCsrfToken({
    method: request.method,
    expected: session.csrfToken,
    submitted: request.headers[CSRF_HEADER],
  });
  return { user, via: 'session', sessionId };
}

/** Throws PERMISSION_DENIED when the caller's role does not allow the route. */
export function authorize(access: Access, role: Role): void {
  if (access === 'admin' && role !== 'admin') {
    throw new ConnectorError('PERMISSION_DENIED', 'Only administrators may do this; ask an administrator.');
  }
}

/** The authenticated caller of a route that requires one (set by the app's onRequest hook). */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw new ConnectorError('AUTH_FAILED', NOT_LOGGED_IN);
  return request.caller;
}
