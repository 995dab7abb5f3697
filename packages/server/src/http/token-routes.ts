/**
 * API tokens: each user creates, lists and revokes their own. A token is shown once, when it is
 * created; the store keeps only its hash, and listings show what it is for and when it was used,
 * never the token or its hash. Another user's token is answered exactly like one that does not
 * exist, so ids cannot be probed.
 */

import { ConnectorError } from '@slipstream/connector-core';
import { generateToken, hashToken } from '../security/generated.js';
import type { ApiTokenRecord, Store } from '../store/types.js';
import { callerOf } from './auth.js';
import { type JsonSchema, PRINTABLE_TEXT, type RouteSpec } from './routes.js';
import { USER_SCHEMA, userView } from './user-view.js';

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
          allOf: [{ pattern: '\\S' }],
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
      const token = generateToken();
      const record = await store.createApiToken({
        userId: caller.user.id,
        name: name.trim(),
        tokenHash: hashToken(token),
      });
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
      // Looked up among the caller's own tokens only: someone else's id is simply not there.
      const record = (await store.listApiTokens(caller.user.id)).find((token) => token.id === id);
      if (record === undefined) {
        throw new ConnectorError(
          'NOT_FOUND',
          'You have no API token with this id; list your tokens with GET /api/tokens.',
        );
      }
      await store.deleteApiToken(record.id);
      request.log.info({ user: caller.user.name, tokenName: record.name }, 'revoked an API token');
      return { id: record.id, name: record.name, revoked: true };
    },
  };

  return [createToken, listTokens, revokeToken];
}
