/**
 * API tokens, each user's own: the HTTP shapes of accounts/tokens.ts.
 */

import { createApiToken, revokeApiToken, tokenView } from '../accounts/tokens.js';
import { userView } from '../accounts/users.js';
import type { Store } from '../store/types.js';
import { callerOf } from './auth.js';
import { type JsonSchema, PRINTABLE_TEXT, type RouteSpec } from './routes.js';
import { USER_SCHEMA } from './user-schema.js';
import { NOT_BLANK_PATTERN } from './validation.js';

const TOKEN_VIEW_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'lastUsedAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When the token was last used (to the minute); null when never.',
    },
  },
};

export function tokenRoutes(store: Store): RouteSpec[] {
  const createToken: RouteSpec = {
    method: 'POST',
    url: '/api/tokens',
    operationId: 'createToken',
    summary: 'Create an API token for the caller; the token is shown only in this answer',
    tag: 'tokens',
    access: 'user',
    example: { name: 'deploy script' },
    body: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
          minLength: 1,
          maxLength: 100,
          description: 'What the token is for; unique among your tokens.',
          // Printable, and not only spaces: the name is what people recognise a token by.
          pattern: PRINTABLE_TEXT,
          allOf: [{ pattern: NOT_BLANK_PATTERN }],
        },
      },
    },
    success: {
      status: 201,
      description: 'Token created',
      schema: {
        type: 'object',
        required: ['id', 'name', 'token', 'createdAt', 'user'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          token: { type: 'string', description: 'The bearer token; store it now, it is never shown again.' },
          createdAt: { type: 'string', format: 'date-time' },
          user: USER_SCHEMA,
        },
      },
    },
    async handler(request, reply) {
      const caller = callerOf(request);
      const { name } = request.body as { name: string };
      const { record, token } = await createApiToken(store, caller.user, name);
      request.log.info({ user: caller.user.name, tokenName: record.name }, 'created an API token');
      reply.code(201);
      return {
        id: record.id,
        name: record.name,
        token,
        createdAt: record.createdAt,
        user: userView(caller.user),
      };
    },
  };

  const listTokens: RouteSpec = {
    method: 'GET',
    url: '/api/tokens',
    operationId: 'listTokens',
    summary: "The caller's API tokens (never the tokens themselves), by name",
    tag: 'tokens',
    access: 'user',
    success: {
      status: 200,
      description: "The caller's tokens",
      schema: {
        type: 'object',
        required: ['tokens'],
        additionalProperties: false,
        properties: { tokens: { type: 'array', items: TOKEN_VIEW_SCHEMA } },
      },
    },
    async handler(request) {
      const caller = callerOf(request);
      return { tokens: (await store.listApiTokens(caller.user.id)).map(tokenView) };
    },
  };

  const revokeToken: RouteSpec = {
    method: 'DELETE',
    url: '/api/tokens/:id',
    operationId: 'revokeToken',
    summary: "Revoke one of the caller's API tokens: it stops working at once",
    tag: 'tokens',
    access: 'user',
    success: {
      status: 200,
      description: 'Token revoked',
      schema: {
        type: 'object',
        required: ['id', 'name', 'revoked'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, name: { type: 'string' }, revoked: { type: 'boolean' } },
      },
    },
    async handler(request) {
      const caller = callerOf(request);
      const { id } = request.params as { id: string };
      const record = await revokeApiToken(store, caller.user, id);
      request.log.info({ user: caller.user.name, tokenName: record.name }, 'revoked an API token');
      return { id: record.id, name: record.name, revoked: true };
    },
  };

  return [createToken, listTokens, revokeToken];
}
