/**
 * What a route is, independently of Fastify: method, path, who may call it, its JSON schemas and
 * handler. The app registers these with Fastify and the OpenAPI generator reads the same list, so
 * the published document cannot drift from the routes actually served.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';

/** Who may call a route: anyone, any logged-in user (session or API token), or administrators only. */
export type Access = 'public' | 'user' | 'admin';

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax (`/api/vms/:instance`). */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly body?: JsonSchema;
  /**
   * A body the route accepts, as a client would send it: published in the OpenAPI document and
   * quoted by refusals of a malformed body, so they can say what to send instead.
   */
  readonly example?: unknown;
  /** The query string's parameters: an object schema of strings (nothing is coerced). */
  readonly query?: JsonSchema;
  /** The success status and the schema of its body. */
  readonly success: { readonly status: number; readonly description: string; readonly schema: JsonSchema };
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * Text without what could disguise a name on the pages or in a terminal: control characters (Cc),
 * format characters (Cf: zero-width characters, LRM/RLM and the other bidirectional marks,
 * overrides and isolates, the BOM, soft hyphens), line and paragraph separators, and lone
 * surrogates (Cs), which no encoding keeps. Ajv compiles patterns with the `u` flag, so the
 * Unicode property escapes apply.
 */
export const PRINTABLE_TEXT = '^[^\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]+$';

/** The JSON schema of every error body. */
export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        problems: {
          type: 'array',
          items: {
            type: 'object',
            required: ['message'],
            properties: {
              message: { type: 'string' },
              code: { type: 'string' },
              key: { type: 'string' },
              instance: { type: 'string' },
              connector: { type: 'string' },
              text: { type: 'string' },
              position: { type: 'integer' },
            },
          },
        },
      },
    },
  },
};
