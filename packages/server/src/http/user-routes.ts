/** Administration of user accounts (administrators only): the HTTP shapes of accounts/users.ts. */

import {
  type AccountChange,
  accountView,
  changeAccount,
  createAccount,
  DEFAULT_ROLE,
  type NewAccount,
  renamedFromOf,
  USER_NAME_PATTERN,
  userView,
} from '../accounts/users.js';
import { MAX_PASSWORD_BYTES } from '../security/passwords.js';
import { ROLES, type Store } from '../store/types.js';
import { callerOf } from './auth.js';
import type { JsonSchema, RouteSpec } from './routes.js';
import { USER_SCHEMA } from './user-schema.js';

const ACCOUNT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name', 'role', 'disabled', 'createdAt'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
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

export function userRoutes(store: Store): RouteSpec[] {
  const createUser: RouteSpec = {
    method: 'POST',
    url: '/api/users',
    operationId: 'createUser',
    summary:
      'Create a user (administrators only); a password is generated and returned once when none is given',
    tag: 'users',
    access: 'admin',
    example: { name: 'bob', role: 'user' },
    body: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
          minLength: 1,
          maxLength: 64,
          pattern: USER_NAME_PATTERN,
          description: 'The name the user logs in with ("name" in POST /api/login).',
        },
        role: { type: 'string', enum: [...ROLES], default: DEFAULT_ROLE },
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
      const body = request.body as NewAccount;
      const { user, password } = await createAccount(store, body);
      request.log.info({ user: user.name, role: user.role, by: caller.user.name }, 'created a user');
      reply.code(201);
      return { user: userView(user), ...(password === undefined ? {} : { password }) };
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
    example: { role: 'admin' },
    body: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description:
        'At least one field. The change is refused (400) when it would leave no enabled administrator. ' +
        'Disabling a user ends their login sessions at once and their API tokens are refused while disabled; ' +
        "a new password ends the user's login sessions too, except the caller's own.",
      properties: {
        role: { type: 'string', enum: [...ROLES] },
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
      const change = request.body as AccountChange;
      const {
        user: updated,
        passwordChanged,
        password,
      } = await changeAccount(store, name, change, caller.sessionId);
      request.log.info(
        {
          user: updated.name,
          by: caller.user.name,
          ...(change.role === undefined ? {} : { role: change.role }),
          ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
          passwordChanged,
        },
        'changed a user',
      );
      return {
        user: accountView(updated, await renamedFromOf(store)),
        ...(password === undefined ? {} : { password }),
      };
    },
  };

  return [createUser, listUsers, updateUser];
}
