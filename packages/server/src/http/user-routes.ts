/**
 * Administration of user accounts: create, list, and change a role, the disabled flag or the
 * password. A change is checked and written in one store transaction, so it is all done or not at
 * all, and the server always keeps at least one enabled administrator.
 */

import { ConnectorError } from '@slipstream/connector-core';
import { generatePassword } from '../security/generated.js';
import { hashPassword, MAX_PASSWORD_BYTES } from '../security/passwords.js';
import type { Role, Store, UserPatch, UserRecord } from '../store/types.js';
import { callerOf } from './auth.js';
import type { JsonSchema, RouteSpec } from './routes.js';
import { USER_SCHEMA, userView } from './user-view.js';

/** What the user listing shows of an account: never the password hash. */
export interface AccountView {
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: string;
  /** The account's name before user names became unique case-insensitively, when it was renamed. */
  readonly renamedFrom?: string;
}

/** `renamedFrom`: the account's old names by user id (see {@link renamedFromOf}). */
export function accountView(user: UserRecord, renamedFrom?: ReadonlyMap<string, string>): AccountView {
  const oldName = renamedFrom?.get(user.id);
  return {
    name: user.name,
    role: user.role,
    disabled: user.disabled === true,
    createdAt: user.createdAt,
    ...(oldName === undefined ? {} : { renamedFrom: oldName }),
  };
}

/** The old name of every account renamed to make names unique case-insensitively, by user id. */
export async function renamedFromOf(store: Store): Promise<Map<string, string>> {
  return new Map((await store.listUserRenames()).map((rename) => [rename.userId, rename.oldName]));
}

const ACCOUNT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name', 'role', 'disabled', 'createdAt'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'user'] },
    disabled: {
      type: 'boolean',
      description: 'A disabled user cannot log in and their API tokens are refused.',
    },
    createdAt: { type: 'string', format: 'date-time' },
    renamedFrom: {
      type: 'string',
      description:
        'Only on an account renamed when user names became unique case-insensitively: its old name, which ' +
        "differed only in case from an older account's. It logs in with `name` now.",
    },
  },
};

/** The body of PATCH /api/users/{name}. */
interface UserChange {
  readonly role?: Role;
  readonly disabled?: boolean;
  /** A new password; null: generate one (returned once). */
  readonly password?: string | null;
}

const LAST_ADMIN =
  'is the last enabled administrator: the server needs one; make another user an administrator first.';

/** Whether an enabled administrator remains once `patch` applies to `target`. */
function keepsAnAdmin(users: readonly UserRecord[], target: UserRecord, patch: UserPatch): boolean {
  return users.some((user) => {
    const changed = user.id === target.id ? { ...user, ...patch } : user;
    return changed.role === 'admin' && changed.disabled !== true;
  });
}

export function userRoutes(store: Store): RouteSpec[] {
  const createUser: RouteSpec = {
    method: 'POST',
    url: '/api/users',
    operationId: 'createUser',
    summary:
      'Create a user (administrators only); a password is generated and returned once when none is given',
    tag: 'users',
    access: 'admin',
    body: {
      type: 'object',
      required: ['name', 'role'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
          minLength: 1,
          maxLength: 64,
          // Login names people can type and that are safe in logs and URLs.
          pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*$',
        },
        role: { type: 'string', enum: ['admin', 'user'] },
        password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_BYTES },
      },
    },
    success: {
      status: 201,
      description: 'User created',
      schema: {
        type: 'object',
        required: ['user'],
        additionalProperties: false,
        properties: {
          user: USER_SCHEMA,
          password: { type: 'string', description: 'The generated password, only when none was given.' },
        },
      },
    },
    async handler(request, reply) {
      const caller = callerOf(request);
      const body = request.body as { name: string; role: Role; password?: string };
      const generated = body.password === undefined ? generatePassword() : undefined;
      const passwordHash = await hashPassword(body.password ?? (generated as string));
      const user = await store.createUser({ name: body.name, role: body.role, passwordHash });
      request.log.info({ user: user.name, role: user.role, by: caller.user.name }, 'created a user');
      reply.code(201);
      return { user: userView(user), ...(generated === undefined ? {} : { password: generated }) };
    },
  };

  const listUsers: RouteSpec = {
    method: 'GET',
    url: '/api/users',
    operationId: 'listUsers',
    summary: 'Every user account, by name (administrators only)',
    tag: 'users',
    access: 'admin',
    success: {
      status: 200,
      description: 'The users',
      schema: {
        type: 'object',
        required: ['users'],
        additionalProperties: false,
        properties: { users: { type: 'array', items: ACCOUNT_SCHEMA } },
      },
    },
    async handler() {
      const renamedFrom = await renamedFromOf(store);
      return { users: (await store.listUsers()).map((user) => accountView(user, renamedFrom)) };
    },
  };

  const updateUser: RouteSpec = {
    method: 'PATCH',
    url: '/api/users/:name',
    operationId: 'updateUser',
    summary:
      "Change a user's role, disable or enable them, or set or reset their password (administrators only)",
    tag: 'users',
    access: 'admin',
    body: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description:
        'At least one field. The change is refused (400) when it would leave no enabled administrator. ' +
        'Disabling a user ends their login sessions at once and their API tokens are refused while disabled; ' +
        "a new password ends the user's login sessions too, except the caller's own.",
      properties: {
        role: { type: 'string', enum: ['admin', 'user'] },
        disabled: { type: 'boolean', description: 'true disables the user, false enables them again.' },
        password: {
          type: ['string', 'null'],
          minLength: 1,
          maxLength: MAX_PASSWORD_BYTES,
          description:
            'A string sets that password; null generates one, returned once in the answer as "password".',
        },
      },
    },
    success: {
      status: 200,
      description: 'User changed',
      schema: {
        type: 'object',
        required: ['user'],
        additionalProperties: false,
        properties: {
          user: ACCOUNT_SCHEMA,
          password: {
            type: 'string',
            description: 'The generated password, only when "password" was null; it is never shown again.',
          },
        },
      },
    },
    async handler(request) {
      const caller = callerOf(request);
      const { name } = request.params as { name: string };
      const change = request.body as UserChange;
      const generated = change.password === null ? generatePassword() : undefined;
      const newPassword = change.password ?? generated;
      // Hashed before the transaction: scrypt is slow and the store is locked while it runs.
      const passwordHash = newPassword === undefined ? undefined : await hashPassword(newPassword);
      const patch: UserPatch = {
        ...(change.role === undefined ? {} : { role: change.role }),
        ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
        ...(passwordHash === undefined ? {} : { passwordHash }),
      };
      const updated = await store.transaction(async (tx) => {
        const target = await tx.getUserByName(name);
        if (target === undefined) {
          throw new ConnectorError(
            'NOT_FOUND',
            `There is no user named "${name}"; list the users with GET /api/users.`,
          );
        }
        if (!keepsAnAdmin(await tx.listUsers(), target, patch)) {
          throw new ConnectorError('INVALID_REQUEST', `"${target.name}" ${LAST_ADMIN}`);
        }
        const user = await tx.updateUser(target.id, patch);
        // Sessions are checked per request, so deleting them makes the change take effect at once.
        if (change.disabled === true) await tx.deleteSessionsOfUser(user.id);
        else if (passwordHash !== undefined) await endOtherSessions(tx, user, caller.sessionId);
        return user;
      });
      request.log.info(
        {
          user: updated.name,
          by: caller.user.name,
          ...(change.role === undefined ? {} : { role: change.role }),
          ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
          passwordChanged: passwordHash !== undefined,
        },
        'changed a user',
      );
      return {
        user: accountView(updated, await renamedFromOf(store)),
        ...(generated === undefined ? {} : { password: generated }),
      };
    },
  };

  return [createUser, listUsers, updateUser];
}

/**
 * Ends the user's login sessions after a password change, keeping the caller's own session (an
 * administrator changing their own password stays logged in).
 */
async function endOtherSessions(tx: Store, user: UserRecord, keep: string | undefined): Promise<void> {
  const kept = keep === undefined ? undefined : await tx.getSession(keep);
  await tx.deleteSessionsOfUser(user.id);
  if (kept !== undefined && kept.userId === user.id) await tx.createSession(kept);
}
