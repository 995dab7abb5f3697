/** Administration of user accounts. */

import { generatePassword } from '../security/generated.js';
import { hashPassword, MAX_PASSWORD_BYTES } from '../security/passwords.js';
import type { Role, Store } from '../store/types.js';
import { callerOf } from './auth.js';
import type { RouteSpec } from './routes.js';
import { USER_SCHEMA, userView } from './user-view.js';

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
  return [createUser];
}
