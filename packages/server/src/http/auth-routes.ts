/** Logging in and out (API tokens are token-routes.ts). */

import { randomBytes } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import { generateCsrfToken } from '../security/csrf.js';
import { generatePassword } from '../security/generated.js';
import { InFlightLimit } from '../security/in-flight.js';
import { hashPassword, MAX_PASSWORD_BYTES, verifyPassword } from '../security/passwords.js';
import { type LoginRateLimiter, loginKey } from '../security/rate-limit.js';
import type { Store } from '../store/types.js';
import { callerOf } from './auth.js';
import { sessionCookie } from './cookies.js';
import type { RouteSpec } from './routes.js';

export interface AuthRouteOptions {
  readonly store: Store;
  /** Failed logins per (username, address): locks out guessing one user's password. */
  readonly limiter: LoginRateLimiter;
  /** Failed logins per address, whatever the username: locks out trying one password on many users. */
  readonly addressLimiter: LoginRateLimiter;
  /**
   * Password checks in flight at once per client address, and in all for suspect attempts (from an
   * address, or for a user and address, with failures on record); default 2 each.
   */
  readonly checksInFlight?: { readonly perAddress?: number; readonly suspect?: number } | undefined;
  readonly sessionTtlMs: number;
  readonly now: () => Date;
}

/** One message for an unknown user and a wrong password, so logins cannot be used to list users. */
const WRONG_CREDENTIALS = 'The username or password is wrong; check both and try again.';

const USER_NAME = { type: 'string', minLength: 1, maxLength: 64 } as const;

export function authRoutes(options: AuthRouteOptions): RouteSpec[] {
  const { store, limiter, addressLimiter } = options;
  const addressChecks = new InFlightLimit(options.checksInFlight?.perAddress ?? 2);
  const suspectChecks = new InFlightLimit(options.checksInFlight?.suspect ?? 2);
  // Unknown users are checked against this hash too, so they take as long as a wrong password.
  let dummyHash: Promise<string> | undefined;
  const dummy = (): Promise<string> => {
    dummyHash ??= hashPassword(generatePassword());
    return dummyHash;
  };

  const login: RouteSpec = {
    method: 'POST',
    url: '/api/login',
    operationId: 'login',
    summary: 'Log in: sets the session cookie and returns the CSRF token for state-changing requests',
    tag: 'auth',
    access: 'public',
    body: {
      type: 'object',
      required: ['username', 'password'],
      additionalProperties: false,
      properties: {
        username: USER_NAME,
        // Characters, not bytes: the byte limit is enforced again when the password is checked.
        password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_BYTES },
      },
    },
    success: {
      status: 200,
      description: 'Logged in',
      schema: {
        type: 'object',
        required: ['user', 'csrfToken'],
        additionalProperties: false,
        properties: {
          user: {
            type: 'object',
            required: ['name', 'role'],
            additionalProperties: false,
            properties: { name: { type: 'string' }, role: { type: 'string', enum: ['admin', 'user'] } },
          },
          csrfToken: { type: 'string' },
        },
      },
    },
    async handler(request, reply) {
      const { username, password } = request.body as { username: string; password: string };
      const key = loginKey(username, request.ip);
      const addressKey = `address ${request.ip}`;
      // A bounded number of password checks at once per address, and in all for suspect attempts
      // (their address, or their user from that address, failed before): a burst is refused at
      // once rather than queued, and guessers, who fail, can hold at most that many of the hash
      // threads, so a login with a clean record (the user's own) never waits behind them.
      const leaveAddress = addressChecks.tryEnter(addressKey);
      const suspect = limiter.hasHistory(key) || addressLimiter.hasHistory(addressKey);
      const leaveUser = leaveAddress && (suspect ? suspectChecks.tryEnter('suspect') : () => {});
      if (leaveAddress === undefined || leaveUser === undefined) {
        leaveAddress?.();
        throw new ConnectorError('RATE_LIMITED', 'Too many logins in progress; try again in a moment.', {
          retryAfterMs: 1000,
        });
      }
      let user: Awaited<ReturnType<Store['getUserByName']>>;
      try {
        // Each attempt is counted before the slow check, so that attempts made at once count as many.
        const forAddress = addressLimiter.begin(addressKey, { clearOnSuccess: false });
        if (!forAddress.allowed) {
          throw new ConnectorError(
            'RATE_LIMITED',
            'Too many failed logins from your address; wait and try again later.',
            { retryAfterMs: forAddress.retryAfterMs },
          );
        }
        const forPair = limiter.begin(key, { clearOnSuccess: true });
        if (!forPair.allowed) {
          // Refused before any check: not an attempt of the address's.
          forAddress.succeeded();
          throw new ConnectorError(
            'RATE_LIMITED',
            'Too many failed logins for this user from your address; wait and try again later.',
            { retryAfterMs: forPair.retryAfterMs },
          );
        }
        user = await store.getUserByName(username);
        const matches = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
        if (user === undefined || !matches || user.disabled === true) {
          // The attempted name is not logged: people type their password into the name field.
          request.log.info('login failed');
          throw new ConnectorError('AUTH_FAILED', WRONG_CREDENTIALS);
        }
        // The pair starts afresh; the address only gets this attempt back: logging in to one's own
        // account must not clear the address's failures.
        forPair.succeeded();
        forAddress.succeeded();
      } finally {
        leaveUser();
        leaveAddress();
      }
      const sessionId = randomBytes(32).toString('base64url');
      const csrfToken = generateCsrfToken();
      const now = options.now();
      await store.createSession({
        id: sessionId,
        userId: user.id,
        csrfToken,
        expiresAt: new Date(now.getTime() + options.sessionTtlMs).toISOString(),
      });
      reply.header(
        'set-cookie',
        sessionCookie(sessionId, {
          maxAgeSeconds: options.sessionTtlMs / 1000,
          secure: request.protocol === 'https',
        }),
      );
      request.log.info({ user: user.name }, 'logged in');
      return { user: { name: user.name, role: user.role }, csrfToken };
    },
  };

  const logout: RouteSpec = {
    method: 'POST',
    url: '/api/logout',
    operationId: 'logout',
    summary: 'Log out: ends the login session and clears its cookie',
    tag: 'auth',
    access: 'user',
    success: {
      status: 200,
      description: 'Logged out',
      schema: {
        type: 'object',
        required: ['loggedOut'],
        additionalProperties: false,
        properties: { loggedOut: { type: 'boolean' } },
      },
    },
    async handler(request, reply) {
      const caller = callerOf(request);
      // A bearer token has no session to end; revoking tokens is a separate operation.
      if (caller.sessionId === undefined) return { loggedOut: false };
      await store.deleteSession(caller.sessionId);
      reply.header(
        'set-cookie',
        sessionCookie('', { maxAgeSeconds: 0, secure: request.protocol === 'https' }),
      );
      return { loggedOut: true };
    },
  };

  return [login, logout];
}
