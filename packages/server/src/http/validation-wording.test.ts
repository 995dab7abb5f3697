/**
 * Every refusal of a malformed request speaks to the client, not about the schema: for every route
 * with a JSON body or a query (read from the served OpenAPI document, so a new route is covered
 * without editing this file), the test derives wrong requests from the route's own schema — a
 * body that is not an object, missing and unknown fields, wrong types, lengths, patterns, enum
 * values, limits and field names — and checks each answer: a 400 in the API's error shape whose
 * every sentence names the field or the body, says what to send, and has none of Ajv's wording.
 */

import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALIDATOR_WORDING } from '../testing/validator-wording.js';
import type { JsonSchema } from './routes.js';
import { startTestServer, type TestServer } from './test-server.js';
import { PATTERN_HINTS } from './validation.js';

const ADMIN_PASSWORD = 'admin-Pa55word-for-wording';

/** A sentence that says what to send (or take away) instead. */
const SAYS_WHAT_TO_DO = /\b(send|remove (it|them)|use at most|must be|may hold|such as|see this route)\b/i;
/** A sentence that names the field, the field's name, or the part of the request. */
const NAMES_WHAT = /"[^"]+"|the request body|the query string/i;

interface Operation {
  readonly name: string;
  readonly method: string;
  /** With its path parameters filled in. */
  readonly url: string;
  readonly body?: JsonSchema;
  readonly example?: unknown;
  readonly query?: Readonly<Record<string, JsonSchema>>;
}

/** Values for the routes' path parameters: existing things, so that only the body is wrong. */
const PATH_VALUES: Readonly<Record<string, string>> = { instance: 'local', name: 'wording-user', id: 'x' };

let server: TestServer;
let admin: Record<string, string>;
let operations: Operation[];

beforeAll(async () => {
  server = await startTestServer({ name: 'wording', adminPassword: ADMIN_PASSWORD, connectors: 'local' });
  await server.createUser('wording-user', 'wording-user-password');
  admin = await server.login('admin', ADMIN_PASSWORD);
  operations = await operationsWithInput();
}, 120_000);

afterAll(() => server?.close());

async function operationsWithInput(): Promise<Operation[]> {
  const document = (await server.send({ method: 'GET', url: '/api/openapi.json' })).json();
  const found: Operation[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: the served OpenAPI document, read field by field.
  const paths = document.paths as Record<string, Record<string, any>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const media = operation.requestBody?.content?.['application/json'];
      const query = (operation.parameters ?? []).filter(
        (parameter: { in: string }) => parameter.in === 'query',
      );
      if (media === undefined && query.length === 0) continue;
      found.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        url: path.replace(/\{([^}]+)\}/g, (_, name: string) => PATH_VALUES[name] ?? name),
        ...(media === undefined ? {} : { body: media.schema, example: media.example }),
        ...(query.length === 0
          ? {}
          : {
              query: Object.fromEntries(
                query.map((parameter: { name: string; schema: JsonSchema }) => [
                  parameter.name,
                  parameter.schema,
                ]),
              ),
            }),
      });
    }
  }
  return found;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value of the wrong JSON type for a schema. */
function wrongType(schema: JsonSchema): Json {
  const types = [schema.type ?? (schema.anyOf ? 'anyOf' : undefined)].flat();
  if (types.includes('string') || types.includes('anyOf')) return { not: 'a scalar' };
  if (types.includes('object')) return 'not an object';
  return 'not a number or boolean';
}

/**
 * Wrong variants of `base` (a valid value for `schema`), each breaking one rule of the schema at
 * one place. `set` puts a value where `schema` applies in the whole body.
 */
function violations(schema: JsonSchema, set: (value: Json | undefined) => Json): Json[] {
  const out: Json[] = [set(wrongType(schema))];
  const { minLength, maxLength, pattern, minimum, maximum } = schema as Record<string, number | string>;
  if (typeof minLength === 'number' && minLength > 0) out.push(set(''));
  // Lengths past the body limit are refused as too large before validation (another test's matter).
  if (typeof maxLength === 'number' && maxLength < 100_000) out.push(set('x'.repeat(maxLength + 1)));
  if (typeof pattern === 'string' || Array.isArray(schema.allOf)) out.push(set(' \u202e\u0000 '));
  if (Array.isArray(schema.enum)) out.push(set('not-one-of-them'));
  if (typeof minimum === 'number') out.push(set(minimum - 1));
  if (typeof maximum === 'number') out.push(set(maximum + 1));
  if (schema.type === 'integer') out.push(set(1.5));
  if (schema.type === 'object') out.push(...objectViolations(schema, set));
  return out;
}

function objectViolations(schema: JsonSchema, set: (value: Json | undefined) => Json): Json[] {
  const out: Json[] = [];
  const required = (schema.required ?? []) as string[];
  if (required.length > 0 || Number(schema.minProperties) > 0) out.push(set({}));
  if (schema.additionalProperties === false) out.push(set({ 'no-such-field': 'x' }));
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, property] of Object.entries(properties)) {
    out.push(...violations(property, (value) => set(value === undefined ? {} : { [key]: value })));
  }
  const extra = schema.additionalProperties;
  if (typeof extra === 'object' && extra !== null && Object.keys(extra).length > 0) {
    out.push(...violations(extra as JsonSchema, (value) => set({ 'any-key': value ?? null })));
  }
  const names = schema.propertyNames as { maxLength?: number; pattern?: string } | undefined;
  if (names?.maxLength !== undefined) out.push(set({ ['k'.repeat(names.maxLength + 1)]: 'x' }));
  if (names?.pattern !== undefined) out.push(set({ 'Not A Setting!': 'x' }));
  if (typeof schema.maxProperties === 'number') {
    out.push(
      set(Object.fromEntries(Array.from({ length: schema.maxProperties + 1 }, (_, i) => [`k${i}`, 'x']))),
    );
  }
  return out;
}

/** Wrong bodies for a route: not objects at all, then one rule broken at a time over its example. */
function wrongBodies(operation: Operation): Json[] {
  const example = (operation.example ?? {}) as { [key: string]: Json };
  const bodies: Json[] = [[], 'text', 42, null, true];
  const schema = operation.body as JsonSchema;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  bodies.push({}, { ...example, 'no-such-field': 'x' });
  for (const [key, property] of Object.entries(properties)) {
    bodies.push(
      ...violations(property, (value) => {
        const body = { ...example };
        if (value === undefined) delete body[key];
        else body[key] = value;
        return body;
      }),
    );
  }
  // The body's own rules (field names, number of fields, values of a map's fields).
  const own: Record<string, unknown> = {
    ...schema,
    required: [],
    minProperties: 0,
    additionalProperties: schema.additionalProperties ?? {},
  };
  const { properties: _, ...withoutProperties } = own;
  bodies.push(...objectViolations(withoutProperties, (value) => value ?? {}));
  return bodies;
}

function wrongQueries(operation: Operation): string[] {
  const queries = ['no-such-parameter=1'];
  for (const [name, schema] of Object.entries(operation.query ?? {})) {
    if (Array.isArray(schema.enum)) queries.push(`${name}=not-one-of-them`);
  }
  return queries;
}

function checkRefusal(what: string, response: LightMyRequestResponse): void {
  expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
  const { error } = response.json();
  expect(error.code, what).toMatch(/^(INVALID_REQUEST|CREDENTIALS_INVALID)$/);
  const sentences: string[] = [
    error.message,
    ...(error.problems ?? []).map((p: { message: string }) => p.message),
  ];
  for (const sentence of sentences) {
    for (const wording of VALIDATOR_WORDING) expect(sentence, `${what}: ${sentence}`).not.toMatch(wording);
    expect(sentence, `${what}: names what is wrong`).toMatch(NAMES_WHAT);
    // The schema's refusals; the connector's own check of credential values words its problems itself.
    if (error.code === 'INVALID_REQUEST')
      expect(sentence, `${what}: says what to send`).toMatch(SAYS_WHAT_TO_DO);
  }
}

describe('the wording of refused requests', () => {
  it('covers every route that takes a body or a query', () => {
    expect(operations.map((operation) => operation.name).sort()).toEqual(
      expect.arrayContaining([
        'GET /api/vms',
        'PATCH /api/users/{name}',
        'POST /api/clouds/{instance}/vms',
        'POST /api/login',
        'POST /api/tokens',
        'POST /api/users',
        'PUT /api/configuration',
        'PUT /api/credentials/{instance}',
      ]),
    );
    // An example per body: refusals quote it, so every route must have one.
    for (const operation of operations) {
      if (operation.body !== undefined) expect(operation.example, operation.name).toBeDefined();
    }
  });

  it('answers every wrong body with 400 naming the field and what to send, never in the validator own words', async () => {
    let sent = 0;
    for (const operation of operations.filter((candidate) => candidate.body !== undefined)) {
      for (const body of wrongBodies(operation)) {
        const response = await server.send({
          method: operation.method as 'POST',
          url: operation.url,
          headers: { ...admin, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        checkRefusal(`${operation.name} ${JSON.stringify(body).slice(0, 120)}`, response);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(80);
  }, 120_000);

  it('answers a body that is not an object with an example of the body to send', async () => {
    const login = await server.send({ method: 'POST', url: '/api/login', payload: '[]', headers: json() });
    expect(login.json().error.message).toBe(
      'The request body must be a JSON object such as {"name": "alice", "password": "…"}.',
    );
    const credentials = await server.send({
      method: 'PUT',
      url: '/api/credentials/local',
      payload: JSON.stringify({ key: 'demo', secret: null }),
      headers: { ...admin, ...json() },
    });
    expect(credentials.json().error.message).toBe(
      '"secret" in the request body must be a string of at most 10000 characters, a number or true or false, such as "demo-secret".',
    );
  });

  it('answers every wrong query with 400 in the same words', async () => {
    for (const operation of operations.filter((candidate) => candidate.query !== undefined)) {
      for (const query of wrongQueries(operation)) {
        const response = await server.send({
          method: 'GET',
          url: `${operation.url}?${query}`,
          headers: admin,
        });
        checkRefusal(`${operation.name}?${query}`, response);
      }
    }
  });

  it('has a hint in words for every pattern a route schema uses', () => {
    const patterns = new Set<string>();
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'pattern' && typeof value === 'string') patterns.add(value);
        else walk(value);
      }
    };
    for (const operation of operations) walk([operation.body, operation.query]);
    expect(patterns.size).toBeGreaterThan(3);
    for (const pattern of patterns) expect(PATTERN_HINTS.has(pattern), pattern).toBe(true);
  });
});

function json(): Record<string, string> {
  return { 'content-type': 'application/json' };
}
