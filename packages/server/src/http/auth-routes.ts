/** Logging in and out: the HTTP shapes of accounts/logins.ts (API tokens are token-routes.ts). */

import type { LoginGate } from '../accounts/logins.js';
import { ServerError } from '../errors.js';
import { MAX_PASSWORD_BYTES } from '../security/passwords.js';
import { ROLES, type Store } from '../store/types.js';
import { callerOf } from './auth.js';
import { sessionCookie } from './cookies.js';
import type { RouteSpec } from './routes.js';

export interface AuthRouteOptions {
  readonly store: Store;
  readonly logins: LoginGate;
  readonly sessionTtlMs: number;
}

const USER_NAME = { type: 'string', minLength: 1, maxLength: 64 } as const;

interface LoginBody {
  readonly name?: string;
  /** The name's spelling before the API used "name" everywhere; still accepted. */
  readonly username?: string;
}

/**
 * The user name a login names. The API calls it "name" in every request and answer; logins took
 * "username" before, which stays accepted so that existing clients keep working. Exactly one of
 * the two must be sent: with both, which one counts would be a guess.
 */
export function loginName(body: LoginBody): string {
  if (body.name !== undefined && body.username !== undefined) {
    throw new ServerError(
      'INVALID_REQUEST',
      'The request body has both "name" and "username"; send only "name" ("username" is its deprecated alias), as in {"name": "alice", "password": "…"}.',
    );
  }
  const name = body.name ?? body.username;
  if (name === undefined) {
    throw new ServerError(
      'INVALID_REQUEST',
      'The field "name" in the request body is required. Send it as in {"name": "alice", "password": "…"}.',
      { problems: [{ key: 'name', message: 'The field "name" in the request body is required.' }] },
    );
  }
  return name;
}

export function authRoutes(options: AuthRouteOptions): RouteSpec[] {
  const { store, logins } = options;

  const login: RouteSpec = {
    method: 'POST',
    url: '/api/login',
    operationId: 'login',
    summary: 'Log in: sets the session cookie and returns the CSRF token for state-changing requests',
    tag: 'auth',
    access: 'public',
    example: { name: 'alice', password: '…' },
    body: {
      type: 'object',
      required: ['password'],
      additionalProperties: false,
      description:
        'The user name in "name", as everywhere in the API ("username" is accepted as its deprecated alias), and the password.',
      properties: {
        name: USER_NAME,
        username: {
          ...USER_NAME,
          deprecated: true,
          description:
            'Deprecated alias of "name", accepted so that older clients keep working; send "name".',
        },
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
            properties: { name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } },
          },
          csrfToken: { type: 'string' },
        },
      },
    },
    async handler(request, reply) {
      const { password } = request.body as { password: string };
      const name = loginName(request.body as LoginBody);
      const { user, session } = await logins.logIn(name, password, request.ip).catch((error: unknown) => {
        // The attempted name is not logged: people type their password into the name field.
        if (ServerError.hasCode(error, 'AUTH_FAILED')) request.log.info('login failed');
        throw error;
      });
      reply.header(
        'set-cookie',
        sessionCookie(session.id, {
          maxAgeSeconds: options.sessionTtlMs / 1000,
          secure: request.protocol === 'https',
        }),
      );
      request.log.info({ user: user.name }, 'logged in');
      return { user: { name: user.name, role: user.role }, csrfToken: session.csrfToken };
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
