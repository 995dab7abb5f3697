/**
 * Who is calling: a login session (cookie; state-changing requests must also carry the session's
 * CSRF token) or an API token (`Authorization: Bearer ssk_…`, no CSRF: a browser never adds it on
 * its own). Every failure is AUTH_FAILED with one message, so probing reveals nothing about which
 * part was wrong; secrets are never echoed.
 */

import type { FastifyRequest } from 'fastify';
import { findLoginSession, type LoginSession } from '../accounts/logins.js';
import { userOfToken } from '../accounts/tokens.js';
import { ServerError } from '../errors.js';
import { assertCsrfToken, CSRF_HEADER } from '../security/csrf.js';
import type { Role, Store, UserRecord } from '../store/types.js';
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

const NOT_LOGGED_IN =
  'You are not logged in or your session has expired; log in with POST /api/login or send "Authorization: Bearer ssk_…".';
const BAD_TOKEN =
  'The API token is not valid; send "Authorization: Bearer ssk_…" with a token from POST /api/tokens.';

/**
 * The live login session a Cookie header carries, with its user (accounts/logins.ts). The web
 * pages use it directly: they authenticate by cookie only and need the session's CSRF token to
 * hand to their script.
 */
export function sessionOfCookie(
  cookieHeader: string | readonly string[] | undefined,
  store: Store,
  now: Date,
): Promise<LoginSession | undefined> {
  return findLoginSession(store, readCookie(cookieHeader, SESSION_COOKIE), now);
}

/** Resolves the caller of a request, or throws AUTH_FAILED. */
export async function authenticate(request: FastifyRequest, store: Store, now: Date): Promise<Caller> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    const user = token === undefined ? undefined : await userOfToken(store, token, now);
    if (user === undefined) throw new ServerError('AUTH_FAILED', BAD_TOKEN);
    return { user, via: 'token' };
  }
  const found = await sessionOfCookie(request.headers.cookie, store, now);
  if (found === undefined) throw new ServerError('AUTH_FAILED', NOT_LOGGED_IN);
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
    throw new ServerError('PERMISSION_DENIED', 'Only administrators may do this; ask an administrator.');
  }
}

/** The authenticated caller of a route that requires one (set by the app's onRequest hook). */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw new ServerError('AUTH_FAILED', NOT_LOGGED_IN);
  return request.caller;
}
