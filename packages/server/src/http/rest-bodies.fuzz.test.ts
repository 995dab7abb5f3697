import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, VmRecord } from '../store/types.js';
import { VALIDATOR_PHRASES } from '../testing/validator-wording.js';
import type { JsonSchema } from './routes.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Property-based tests of every API route that takes a JSON body or a query string: an
 * administrator sends random JSON and objects shaped like the route's own schema with values of
 * the wrong types, lengths and characters. The server must answer 2xx or 4xx, never 5xx; every
 * refusal is the API's JSON error; and a refused request stores nothing. Schemas are read from the
 * server's OpenAPI document, which is generated from the routes it serves.
 */

const ADMIN_PASSWORD = 'admin-Pa55word-for-fuzzing';
/** The user PATCH /api/users/{name} changes; never the administrator sending the requests. */
const TARGET_USER = 'fuzz-target';
const TARGET_PASSWORD = 'target-Pa55word-1';
const LOCAL_KEY = 'demo';
const LOCAL_SECRET = 'demo-secret';
/** Runs per route: enough to reach the schemas' corners, few enough for a slow machine. */
const RUNS = 200;
/** Budget of a test that sends a route's runs; generous because CI machines are slow under load. */
const BUDGET = 120_000;

interface Fuzzed {
  /** Values of the route's path parameters. */
  readonly path?: Readonly<Record<string, string>>;
  /**
   * A request the route accepts, which the fuzzing varies one part at a time: random values alone
   * rarely get past a strict schema to where the handler stores things.
   */
  readonly example?: () => unknown;
  /** Fewer runs where an accepted request hashes a password (scrypt, slow on purpose). */
  readonly runs?: number;
}

/** Every route with a JSON body or a query, by operationId. */
const FUZZED: Readonly<Record<string, Fuzzed>> = {
  login: { example: () => ({ name: TARGET_USER, password: TARGET_PASSWORD }), runs: 100 },
  createToken: { example: () => ({ name: 'fuzz-token' }) },
  createUser: { example: () => ({ name: 'fuzz-user', role: 'user' }), runs: 100 },
  updateUser: { path: { name: TARGET_USER }, example: () => ({ disabled: false }), runs: 100 },
  putConfiguration: {
    example: () => ({
      basics: { connectors: 'local,lab2:local', title: 'Fuzz' },
      instances: { local: { zone: zoneIds[0] } },
    }),
  },
  putCredentials: { path: { instance: 'local' }, example: () => ({ key: LOCAL_KEY, secret: LOCAL_SECRET }) },
  launchVms: {
    path: { instance: 'local' },
    example: () => ({ name: 'fuzz-vm', image: imageIds[0], size: sizeIds[0] }),
  },
  listVms: {},
};

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly body?: JsonSchema;
  readonly query?: JsonSchema;
}

let server: TestServer;
let admin: Record<string, string>;
let operations: Map<string, Operation>;
/** What the local cloud offers, so that some launches get through. */
let imageIds: string[] = [];
let sizeIds: string[] = [];
let zoneIds: string[] = [];

/** The routes of the served OpenAPI document that take a body or a query. */
async function operationsWithInput(): Promise<Map<string, Operation>> {
  const response = await server.send({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  const paths = response.json().paths as Record<string, Record<string, Record<string, unknown>>>;
  const found = new Map<string, Operation>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const body = (operation.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)
        ?.content?.['application/json']?.schema;
      const queryParameters = (
        (operation.parameters ?? []) as { in: string; name: string; schema: JsonSchema }[]
      )
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => [parameter.name, parameter.schema] as const);
      const query =
        queryParameters.length > 0
          ? { type: 'object', properties: Object.fromEntries(queryParameters) }
          : undefined;
      if (body === undefined && query === undefined) continue;
      found.set(String(operation.operationId), {
        operationId: String(operation.operationId),
        method: method.toUpperCase(),
        path,
        ...(body === undefined ? {} : { body }),
        ...(query === undefined ? {} : { query }),
      });
    }
  }
  return found;
}

// --- Generators -------------------------------------------------------------------------------

/** Text of every awkward kind: empty, blank, control and direction characters, unicode, long. */
const awkwardText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\t',
    '\u0000',
    '\u202e',
    '\u200b',
    '\ud800',
    'a\nb',
    '../../etc/passwd',
    '%00',
    '{}',
  ),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'),
  fc.integer({ min: 1, max: 3_000 }).map((length) => 'x'.repeat(length)),
);

/** Strings a schema is likely to accept: names it lists, names of the test's things, its length edges. */
function plausibleText(schema: JsonSchema): fc.Arbitrary<string> {
  const names = [
    'local',
    'admin',
    'user',
    TARGET_USER,
    'alice',
    'fuzz-token',
    LOCAL_KEY,
    LOCAL_SECRET,
    'local,lab2:local',
    'true',
    'false',
    ...imageIds,
    ...sizeIds,
    ...zoneIds,
  ];
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  // Lengths just inside and just outside the limits (a 1 MiB user-data string only up to 20,000).
  const edges = [min - 1, min, min + 1, ...(max === undefined ? [] : [max - 1, max, max + 1])].filter(
    (length) => length >= 0 && length <= 20_000,
  );
  return fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom(...edges).map((length) => 'a'.repeat(length)),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
    fc.uuid(),
  );
}

/**
 * Values shaped by a JSON schema: mostly of its type, near its limits, sometimes of another type.
 * Objects get their own property names (required ones usually present) and now and then one the
 * schema does not know, or a prototype name.
 */
function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.jsonValue({ maxDepth: 2 });
  if (schema === undefined || depth > 4) return wrong;
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const options: fc.Arbitrary<unknown>[] = [];
  if (Array.isArray(schema.enum)) options.push(fc.constantFrom(...(schema.enum as unknown[])));
  if (types.includes('string')) options.push(plausibleText(schema), awkwardText);
  if (types.includes('integer') || types.includes('number')) {
    const edges = [schema.minimum, schema.maximum]
      .filter((edge): edge is number => typeof edge === 'number')
      .flatMap((edge) => [edge - 1, edge, edge + 1]);
    options.push(
      fc.integer({ min: -5, max: 200 }),
      fc.constantFrom(0, -0, 1.5, 2 ** 53, -(2 ** 31), ...edges),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
  }
  if (types.includes('boolean')) options.push(fc.boolean());
  if (types.includes('null')) options.push(fc.constant(null));
  if (types.includes('array')) {
    options.push(fc.array(fromSchema(schema.items as JsonSchema | undefined, depth + 1), { maxLength: 4 }));
  }
  if (types.includes('object') || schema.properties !== undefined)
    options.push(objectFromSchema(schema, depth));
  if (Array.isArray(schema.anyOf)) {
    for (const branch of schema.anyOf as JsonSchema[]) options.push(fromSchema(branch, depth + 1));
  }
  if (options.length === 0) return wrong;
  return fc.oneof({ weight: 1, arbitrary: wrong }, ...options.map((arbitrary) => ({ weight: 3, arbitrary })));
}

/** Defines `key` as an own enumerable property, so that even `__proto__` is sent as data. */
function own(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function objectFromSchema(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const additional =
    typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as JsonSchema) : undefined;
  const known = Object.entries(properties).map(([name, property]) =>
    // Required properties are present nine times in ten, others half the time.
    fc
      .option(fromSchema(property, depth + 1), { nil: undefined, freq: required.has(name) ? 10 : 2 })
      .map((value) => [name, value] as const),
  );
  const extraKeys = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'unknown', 'local', 'quota.vm', 'accounts', 'boot.delay.ms'),
    fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/),
    fc.string({ maxLength: 12 }),
  );
  const extras = fc.array(fc.tuple(extraKeys, fromSchema(additional, depth + 1)), {
    maxLength: additional === undefined ? 1 : 4,
  });
  return fc.tuple(fc.tuple(...known), extras).map(([entries, more]) => {
    const object: Record<string, unknown> = {};
    for (const [name, value] of entries) if (value !== undefined) own(object, name, value);
    for (const [name, value] of more) own(object, name, value);
    return object;
  });
}

/** Keys of the things this server has: instances, settings, parameters, credentials. */
const PLAUSIBLE_KEYS = [
  'local',
  'lab2',
  'title',
  'quota.vm',
  'boot.delay.ms',
  'accounts',
  'zone',
  'key',
  'secret',
];

/** Whether text fits a string schema's lengths and pattern (Ajv compiles patterns with the u flag). */
function fitsString(schema: JsonSchema, text: string): boolean {
  const length = [...text].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) return false;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) return false;
  const patterns = [schema.pattern, ...((schema.allOf ?? []) as JsonSchema[]).map((part) => part.pattern)];
  return patterns.every((pattern) => typeof pattern !== 'string' || new RegExp(pattern, 'u').test(text));
}

/**
 * Values a JSON schema accepts, as far as a generator can tell: what gets a request past the
 * schema to the handler, where the store is written.
 */
function validFromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 4) return fc.constantFrom('local', 1, true);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) {
    return fc.oneof(...(schema.anyOf as JsonSchema[]).map((branch) => validFromSchema(branch, depth + 1)));
  }
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const options: fc.Arbitrary<unknown>[] = [];
  if (types.includes('string')) {
    const fallback = 'a'.repeat(typeof schema.minLength === 'number' ? schema.minLength : 1);
    options.push(
      fc
        .oneof(plausibleText(schema), fc.string({ minLength: 1, maxLength: 20 }))
        .map((text) => (fitsString(schema, text) ? text : fallback)),
    );
  }
  if (types.includes('integer') || types.includes('number')) {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000;
    const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000;
    options.push(fc.integer({ min, max: Math.min(max, min + 5) }), fc.integer({ min, max }));
  }
  if (types.includes('boolean')) options.push(fc.boolean());
  if (types.includes('null')) options.push(fc.constant(null));
  if (types.includes('array')) {
    options.push(
      fc.array(validFromSchema(schema.items as JsonSchema | undefined, depth + 1), { maxLength: 3 }),
    );
  }
  if (types.includes('object') || schema.properties !== undefined) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    const additional =
      typeof schema.additionalProperties === 'object'
        ? (schema.additionalProperties as JsonSchema)
        : undefined;
    const names = (schema.propertyNames ?? {}) as JsonSchema;
    const known = Object.entries(properties).map(([name, property]) =>
      fc
        .option(validFromSchema(property, depth + 1), {
          nil: undefined,
          freq: required.has(name) ? 1_000 : 2,
        })
        .map((value) => [name, value] as const),
    );
    const extras =
      schema.additionalProperties === false
        ? fc.constant([])
        : fc.array(
            fc.tuple(
              fc
                .constantFrom(...PLAUSIBLE_KEYS)
                .filter((key) => fitsString(names, key) && !(key in properties)),
              validFromSchema(additional, depth + 1),
            ),
            { maxLength: 3 },
          );
    options.push(
      fc.tuple(fc.tuple(...known), extras).map(([entries, more]) => {
        const object: Record<string, unknown> = {};
        for (const [name, value] of [...entries, ...more]) if (value !== undefined) own(object, name, value);
        return object;
      }),
    );
  }
  return options.length === 0 ? fc.constantFrom('local', 1, true) : fc.oneof(...options);
}

/** A valid object with one thing wrong: a property of another type, or one the schema does not know. */
function oneChangeFrom(schema: JsonSchema): fc.Arbitrary<unknown> {
  const names = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
  const key = fc.oneof(
    ...(names.length > 0 ? [fc.constantFrom(...names)] : []),
    fc.constantFrom('__proto__', 'constructor', 'unknown', ...PLAUSIBLE_KEYS),
  );
  return fc.tuple(validFromSchema(schema), key, fc.jsonValue({ maxDepth: 2 })).map(([valid, name, value]) => {
    if (typeof valid !== 'object' || valid === null || Array.isArray(valid)) return valid;
    const changed = { ...(valid as Record<string, unknown>) };
    own(changed, name, value);
    return changed;
  });
}

/** Where a JSON value has parts: the paths of its object properties, nested ones included. */
function propertyPaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    [...prefix, key],
    ...propertyPaths(inner, [...prefix, key]),
  ]);
}

/** A copy of `value` with the property at `path` replaced (or removed, for `undefined`). */
function replaced(value: unknown, path: readonly string[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const copy = { ...(value as Record<string, unknown>) };
  const inner = replaced(copy[head], rest, replacement);
  if (inner === undefined) delete copy[head];
  else own(copy, head, inner);
  return copy;
}

/**
 * The example with one part changed: a property removed, given a value of any type or an awkward
 * string, or a sibling the schema does not know added beside it.
 */
function exampleVariants(example: unknown): fc.Arbitrary<unknown> {
  const paths = propertyPaths(example);
  if (paths.length === 0) return fc.constant(example);
  const value = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    awkwardText,
    plausibleText({}),
    fc.integer({ min: -2, max: 101 }),
  );
  const sibling = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'unknown', ...PLAUSIBLE_KEYS),
    fc.string(),
  );
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...paths), value)
      .map(([path, replacement]) => replaced(example, path, replacement)),
    fc
      .tuple(fc.constantFrom(...paths), sibling, fc.jsonValue({ maxDepth: 1 }))
      .map(([path, name, extra]) => replaced(example, [...path.slice(0, -1), name], extra)),
  );
}

/**
 * A body: any JSON value, a value shaped by the route's schema (wrong types in places), a valid
 * one, a valid one with one thing changed, the route's example and its variants, and now and then
 * text that is not JSON at all.
 */
function bodyFor(schema: JsonSchema, example: unknown): fc.Arbitrary<string> {
  const json = (value: unknown): string => JSON.stringify(value) ?? 'null';
  return fc.oneof(
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
    { weight: 2, arbitrary: fromSchema(schema).map(json) },
    { weight: 2, arbitrary: validFromSchema(schema).map(json) },
    { weight: 2, arbitrary: oneChangeFrom(schema).map(json) },
    ...(example === undefined
      ? []
      : [
          { weight: 1, arbitrary: fc.constant(json(example)) },
          { weight: 4, arbitrary: exampleVariants(example).map(json) },
        ]),
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
}

/** A query: the schema's parameter names and others, with string values (or repeated as arrays). */
function queryFor(schema: JsonSchema): fc.Arbitrary<Record<string, string | string[]>> {
  const names = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
  const value = fc.oneof(fc.constantFrom('true', 'false', '', 'TRUE', '1'), awkwardText);
  return fc.dictionary(
    fc.oneof(fc.constantFrom(...names, '__proto__', 'constructor'), fc.string({ maxLength: 8 })),
    fc.oneof(value, fc.array(value, { minLength: 2, maxLength: 3 })),
    { maxKeys: 3 },
  );
}

// --- Store state ------------------------------------------------------------------------------

/**
 * Everything a request could store: users (with hashes, roles, flags), each user's tokens,
 * credentials (sealed blobs included) and quota overrides, the configuration, and VM records.
 */
async function storeState(store: Store): Promise<Record<string, unknown>> {
  const users = await store.listUsers();
  const perUser = await Promise.all(
    users.map(async (user) => ({
      user: user.name,
      tokens: await store.listApiTokens(user.id),
      credentials: await Promise.all(
        (await store.listCredentials(user.id)).map((summary) =>
          store.getCredentials(user.id, summary.instance),
        ),
      ),
      quotas: await store.listQuotaOverrides(user.id),
    })),
  );
  return {
    users,
    perUser,
    configuration: await store.getConfiguration(),
    vms: await store.listVmRecords(),
  };
}

/**
 * A launch the cloud refuses after the server recorded it leaves its record `failed` with the
 * cloud's error, by design (vms/launch.ts): retrying with the same idempotency key reuses it. That
 * is the one change a refused launch may make; everything else must be as before.
 */
function expectOnlyFailedLaunches(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  code: string,
): void {
  expect({ ...after, vms: undefined }).toEqual({ ...before, vms: undefined });
  const previous = new Map((before.vms as VmRecord[]).map((record) => [record.id, record]));
  const now = new Set((after.vms as VmRecord[]).map((record) => record.id));
  for (const id of previous.keys()) expect(now.has(id), `record ${id} vanished`).toBe(true);
  for (const record of after.vms as VmRecord[]) {
    const was = previous.get(record.id);
    if (was !== undefined && isDeepStrictEqual(was, record)) continue;
    expect(record.state, `a refused launch left record ${record.id} ${record.state}`).toBe('failed');
    expect(record.error?.code).toBe(code);
  }
}

// --- The property -----------------------------------------------------------------------------

/** What an answer must be: 2xx or 4xx, JSON, and a refusal in the API's error shape. */
function expectWellFormedAnswer(operation: Operation, response: LightMyRequestResponse, sent: string): void {
  const what = `${operation.method} ${operation.path} with ${sent.slice(0, 300)}`;
  expect(response.statusCode, `${what} answered ${response.body.slice(0, 500)}`).toBeLessThan(500);
  expect(response.statusCode, what).toBeGreaterThanOrEqual(200);
  expect(String(response.headers['content-type']), what).toMatch(/^application\/json/);
  const answer = JSON.parse(response.body) as { error?: { code?: unknown; message?: unknown } };
  if (response.statusCode >= 400) {
    expect(typeof answer.error?.code, `${what} answered ${response.body.slice(0, 500)}`).toBe('string');
    expect(typeof answer.error?.message, what).toBe('string');
    // In the server's words, never the validator's ("must match a schema in anyOf", "must be object").
    for (const phrase of VALIDATOR_PHRASES) expect(String(answer.error?.message), what).not.toMatch(phrase);
    // Only logging in may refuse an administrator: any other 401/403 means the session was lost
    // and the remaining runs would test nothing but authentication.
    if (operation.operationId !== 'login') expect([401, 403], what).not.toContain(response.statusCode);
  }
}

/** Sends random input to one route and checks each answer and what was stored. */
async function fuzzRoute(operationId: string): Promise<void> {
  const operation = operations.get(operationId);
  expect(operation, `no route ${operationId} with a body or query in the OpenAPI document`).toBeDefined();
  if (operation === undefined) return;
  const fuzzed = FUZZED[operationId] ?? {};
  const parameters = fuzzed.path ?? {};
  const url = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = parameters[name];
    expect(value, `no value for the path parameter ${name} of ${operationId}`).toBeDefined();
    return encodeURIComponent(value ?? '');
  });
  // The session's headers are added when sending, so that counterexamples show only the input.
  const input: fc.Arbitrary<Pick<InjectOptions, 'payload' | 'query'> & { sent: string }> =
    operation.body !== undefined
      ? bodyFor(operation.body, fuzzed.example?.()).map((payload) => ({ payload, sent: payload }))
      : queryFor(operation.query ?? {}).map((query) => ({ query, sent: JSON.stringify(query) }));
  const headers = operation.body !== undefined ? { ...admin, 'content-type': 'application/json' } : admin;

  await fc.assert(
    fc.asyncProperty(input, async ({ sent, ...request }) => {
      const before = await storeState(server.booted.store);
      const response = await server.send({
        method: operation.method as InjectOptions['method'],
        url,
        headers,
        ...request,
      });
      expectWellFormedAnswer(operation, response, sent);
      if (response.statusCode < 400) return;
      // A refused request stored nothing.
      const after = await storeState(server.booted.store);
      if (operationId === 'launchVms') {
        expectOnlyFailedLaunches(before, after, String(JSON.parse(response.body).error.code));
      } else {
        expect(after, `${operation.method} ${url} with ${sent.slice(0, 300)}`).toEqual(before);
      }
    }),
    { numRuns: fuzzed.runs ?? RUNS },
  );
}

beforeAll(async () => {
  server = await startTestServer({
    name: 'fuzz',
    adminPassword: ADMIN_PASSWORD,
    connectors: 'local',
    // Launched VMs boot and halt at once: nothing here waits for them.
    initial: {
      basics: { connectors: 'local' },
      instances: { local: { 'boot.delay.ms': 0, 'halt.delay.ms': 0 } },
    },
  });
  await server.createUser(TARGET_USER, TARGET_PASSWORD);
  admin = await server.login('admin', ADMIN_PASSWORD);
  operations = await operationsWithInput();
  // The administrator's own cloud account, so that launches reach the local cloud.
  const saved = await server.send({
    method: 'PUT',
    url: '/api/credentials/local',
    headers: admin,
    payload: { key: LOCAL_KEY, secret: LOCAL_SECRET },
  });
  expect(saved.statusCode).toBe(200);
  const catalog = async (kind: string): Promise<string[]> => {
    const listed = await server.send({ method: 'GET', url: `/api/clouds/local/${kind}`, headers: admin });
    expect(listed.statusCode).toBe(200);
    return (listed.json()[kind] as { id: string }[]).map((item) => item.id);
  };
  imageIds = await catalog('images');
  sizeIds = await catalog('sizes');
  zoneIds = await catalog('zones');
}, BUDGET);

afterAll(() => server?.close(), BUDGET);

describe('REST bodies and queries, fuzzed', () => {
  it('fuzzes every route that takes a JSON body or a query', () => {
    // A new route with a body or query must be added to FUZZED (with its path parameters and an example).
    expect([...operations.keys()].sort()).toEqual(Object.keys(FUZZED).sort());
  });

  it(
    'sees in the store snapshot what each accepted example stores',
    async () => {
      // Without this, a snapshot blind to some table would let every "nothing stored" check pass.
      const storing = ['createToken', 'createUser', 'putConfiguration', 'putCredentials', 'launchVms'];
      for (const operationId of storing) {
        const operation = operations.get(operationId);
        const fuzzed = FUZZED[operationId];
        if (operation === undefined || fuzzed?.example === undefined)
          throw new Error(`no example for ${operationId}`);
        const url = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => fuzzed.path?.[name] ?? '');
        const example = { ...(fuzzed.example() as Record<string, unknown>) };
        // Names that the fuzzing below does not generate, so they are new here.
        if (operationId === 'createToken') example.name = 'snapshot-check-token';
        if (operationId === 'createUser') example.name = 'snapshot-check-user';
        const before = await storeState(server.booted.store);
        const response = await server.send({
          method: operation.method as InjectOptions['method'],
          url,
          headers: admin,
          payload: example as object,
        });
        expect(response.statusCode, `${operationId}: ${response.body}`).toBeLessThan(300);
        expect(await storeState(server.booted.store), operationId).not.toEqual(before);
      }
    },
    BUDGET,
  );

  it.each(Object.keys(FUZZED))(
    '%s: answers 2xx or 4xx, refuses in the error shape, and stores nothing when it refuses',
    async (operationId) => {
      if (operationId === 'launchVms') {
        // Earlier routes may have replaced the administrator's credentials with random ones.
        const saved = await server.send({
          method: 'PUT',
          url: '/api/credentials/local',
          headers: admin,
          payload: { key: LOCAL_KEY, secret: LOCAL_SECRET },
        });
        expect(saved.statusCode).toBe(200);
      }
      await fuzzRoute(operationId);
    },
    BUDGET,
  );
});
