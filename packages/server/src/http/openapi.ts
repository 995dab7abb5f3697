/**
 * Builds the OpenAPI 3.1 document from the registered route specs (OpenAPI 3.1 uses JSON Schema
 * 2020-12, which our draft-07-style route schemas fit without conversion).
 */

import { ERROR_SCHEMA, type JsonSchema, type RouteSpec } from './routes.js';

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
}

/** Routes that call a cloud: its refusals and failures come through as their own statuses. */
const CLOUD_TAGS = new Set(['clouds', 'vms']);

/** The error statuses a route can answer with, listed so clients know what to handle. */
function errorStatuses(route: RouteSpec): number[] {
  // Any route may find the database away (503), but health answers 503 with its own body.
  const statuses = route.operationId === 'health' ? [400, 413, 500] : [400, 413, 500, 503];
  if (route.access !== 'public') statuses.push(401, 403);
  if (route.operationId === 'login') statuses.push(401, 429);
  // A path parameter names something that may not exist: an instance, a VM, a user, a token.
  if (route.url.includes(':')) statuses.push(404);
  if (CLOUD_TAGS.has(route.tag)) statuses.push(409, 429, 501, 502, 503, 504);
  return [...new Set(statuses)].sort((a, b) => a - b);
}

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid request: malformed JSON, a missing, unknown or mistyped field',
  401: 'Not authenticated, or wrong credentials',
  403: 'Not allowed: missing CSRF token, or not an administrator',
  404: 'No such instance, VM, user or token (or not yours)',
  409: 'Over a quota (quota.vm, or the cloud account limit)',
  413: 'Request body too large',
  429: 'Too many requests (failed logins, or the cloud rate-limits); wait for Retry-After seconds',
  500: 'Server error',
  501: 'The connector does not support this operation',
  502: 'The cloud answered with an error',
  503: 'The cloud, or the database of the server, is unavailable; try again',
  504: 'The cloud did not answer in time',
};

/** What each path parameter of the API is, by route prefix and name. */
const PATH_PARAMETERS: Readonly<Record<string, string>> = {
  instance: 'A connector instance name, as listed by GET /api/connectors',
  '/api/vms:id': "The VM's id in its cloud, as listed by GET /api/vms",
  '/api/tokens:id': 'The token id, as listed by GET /api/tokens',
  '/api/users:name': 'The user name, as listed by GET /api/users',
};

function pathParameterDescription(url: string, name: string): string {
  const prefix = url.split('/').slice(0, 3).join('/');
  return PATH_PARAMETERS[`${prefix}:${name}`] ?? PATH_PARAMETERS[name] ?? name;
}

/** The path and query parameters of a route, in OpenAPI's form. */
function parametersOf(route: RouteSpec): Record<string, unknown>[] {
  const inPath = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    description: pathParameterDescription(route.url, name),
    schema: { type: 'string' },
  }));
  const query = (route.query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((route.query?.required ?? []) as string[]);
  const inQuery = Object.entries(query).map(([name, schema]) => {
    const { description, ...rest } = schema as { description?: string };
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
  return [...inPath, ...inQuery];
}

/** `/api/vms/:instance` → `/api/vms/{instance}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function buildOpenApi(routes: readonly RouteSpec[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    const responses: Record<string, unknown> = {
      [String(route.success.status)]: {
        description: route.success.description,
        content: { 'application/json': { schema: route.success.schema } },
      },
    };
    for (const status of errorStatuses(route)) {
      responses[String(status)] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    if (route.operationId === 'health') {
      responses['503'] = {
        description: 'The store does not answer: the same body, with status "unavailable"',
        content: { 'application/json': { schema: route.success.schema } },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      // Empty list = no authentication; otherwise either mechanism works.
      security: route.access === 'public' ? [] : [{ sessionCookie: [] }, { bearerToken: [] }],
      responses,
    };
    const parameters = parametersOf(route);
    if (parameters.length > 0) operation.parameters = parameters;
    if (route.body !== undefined) {
      const example = route.example === undefined ? {} : { example: route.example };
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: route.body, ...example } },
      };
    }
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'slipstream_session',
          description: 'Login session from POST /api/login; state-changing requests also need x-csrf-token.',
        },
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'API token (ssk_…) from POST /api/tokens.',
        },
      },
    },
  };
}
