/**
 * Schema violations in our own words. Ajv's messages ("must be object", "must match a schema in
 * anyOf", "must NOT have more than 100 characters") describe the schema, not the request, and say
 * nothing of what to send; clients read these sentences instead, each naming the field (or the
 * body) that is wrong and what to send in its place. Ajv's text is never used, so none of its
 * wording can reach an answer.
 */

import type { Problem } from '@slipstream/connector-core';
import { USER_NAME_PATTERN } from '../accounts/users.js';
import { PRINTABLE_TEXT } from './routes.js';

/** One Ajv error as Fastify hands it over (only the parts read here). */
export interface ValidationItem {
  readonly keyword?: string;
  readonly instancePath?: string;
  readonly schemaPath?: string;
  readonly params?: Record<string, unknown>;
  /** Set by Ajv on the errors of a `propertyNames` schema: the field name that broke it. */
  readonly propertyName?: string;
}

/** What the route expects in the part of the request that failed, to say what to send instead. */
export interface RequestShape {
  /** The JSON schema that was violated (the route's body or query schema). */
  readonly schema?: unknown;
  /** A request the route accepts, shown in the answer. */
  readonly example?: unknown;
}

/** Setting names of the configuration's basics: the dotted lowercase style of parameter keys. */
export const SETTING_NAME_PATTERN = '^[a-z][a-z0-9]*([._-][a-z0-9]+)*$';

/** Not only spaces. */
export const NOT_BLANK_PATTERN = '\\S';

/** A launch's idempotency key: safe in logs and URLs, and short enough to index. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';

/**
 * What each pattern of the API's schemas means, in words: a pattern itself tells a client nothing.
 * A test checks that every pattern in a route schema is here.
 */
export const PATTERN_HINTS: ReadonlyMap<string, string> = new Map([
  [
    PRINTABLE_TEXT,
    'contains control, invisible or text-direction characters, or a broken character (lone surrogate); remove them',
  ],
  [NOT_BLANK_PATTERN, 'is only spaces; send some visible characters'],
  [
    USER_NAME_PATTERN,
    'may hold only letters, digits, ".", "_", "@" and "-", starting with a letter or digit; send a name such as "alice" or "j.doe@example.org"',
  ],
  [
    IDEMPOTENCY_KEY_PATTERN,
    'must be 1 to 128 letters, digits, ".", "_", ":" or "-"; send a key such as "deploy-2024-05-01" or leave it out',
  ],
  [
    SETTING_NAME_PATTERN,
    'must be lowercase words of letters and digits joined by ".", "_" or "-", such as "title" or "quota.vm"',
  ],
]);

/** Where to read what a route takes, when no example says it. */
const LOOK_UP = 'see this route in /api/openapi.json for what it takes';

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a JSON array',
  null: 'null',
};

const PARTS: Readonly<Record<string, string>> = {
  body: 'the request body',
  querystring: 'the query string',
  params: 'the request path',
  headers: 'the request headers',
};

/** Every problem of a failed validation, in the order Ajv found them, one sentence each. */
export function describeValidationErrors(
  context: string,
  items: readonly ValidationItem[],
  shape: RequestShape = {},
): Problem[] {
  // An anyOf reports each alternative's failure and then its own; the alternatives are folded into
  // one sentence, and a propertyNames failure is told by the error of the name's own schema.
  const anyOfPaths = items.filter((item) => item.keyword === 'anyOf').map((item) => `${item.schemaPath}/`);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.keyword === 'propertyNames') continue;
    if (anyOfPaths.some((path) => (item.schemaPath ?? '').startsWith(path))) continue;
    const problem = describeValidation(context, item, shape);
    if (seen.has(problem.message)) continue;
    seen.add(problem.message);
    problems.push(problem);
  }
  if (problems.length === 0)
    problems.push({ message: `${capital(part(context))} is not valid; ${LOOK_UP}.` });
  return problems;
}

/** One clear sentence for one schema violation, naming the field and what to send instead. */
export function describeValidation(context: string, item: ValidationItem, shape: RequestShape = {}): Problem {
  const pointer = item.instancePath ?? '';
  const path = pointerParts(pointer);
  const params = item.params ?? {};
  const noun = context === 'querystring' ? 'parameter' : 'field';
  const key = path.length === 0 ? {} : { key: path.join('.') };
  const example = shape.example === undefined ? undefined : renderJson(shape.example);
  const asIn = example === undefined ? ` ${capital(LOOK_UP)}.` : ` Send it as in ${example}.`;

  if (item.propertyName !== undefined) {
    const name = quote(truncate(item.propertyName));
    const under = path.length === 0 ? '' : ` under ${quote(path.join('.'))}`;
    return {
      key: [...path, item.propertyName].join('.'),
      message: `The ${noun} name ${name}${under} in ${part(context)} ${nameDetail(item)}.`,
    };
  }
  if (item.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    const known = Object.keys(propertiesAt(shape.schema, item.schemaPath));
    const list =
      known.length === 0
        ? ''
        : known.length === 1
          ? ` (the only ${noun} is ${quote(known[0] ?? '')})`
          : ` (the ${noun}s are ${orList(known.map(quote), 'and')})`;
    return {
      key: [...path, field].join('.'),
      message: `Unknown ${noun} ${quote([...path, field].join('.'))} in ${part(context)}; remove it${list}.`,
    };
  }
  if (item.keyword === 'required') {
    const field = [...path, String(params.missingProperty)].join('.');
    return {
      key: field,
      message: `The ${noun} ${quote(field)} in ${part(context)} is required.${asIn}`,
    };
  }

  const subject = path.length === 0 ? capital(part(context)) : `${quote(path.join('.'))} in ${part(context)}`;
  if (item.keyword === 'type' && path.length === 0 && context === 'body') {
    const such = example === undefined ? `; ${LOOK_UP}` : ` such as ${example}`;
    return { message: `The request body must be a JSON object${such}.` };
  }
  return { ...key, message: `${subject} ${valueDetail(item, shape, path)}.` };
}

/** What is wrong with a value, and what to send instead; no trailing full stop. */
function valueDetail(item: ValidationItem, shape: RequestShape, path: readonly string[]): string {
  const params = item.params ?? {};
  const limit = Number(params.limit);
  switch (item.keyword) {
    case 'type':
      return `must be ${typeNouns(params.type)}${suchAs(shape.example, path)}`;
    case 'anyOf':
      return `must be ${alternatives(schemaAt(shape.schema, item.schemaPath))}${suchAs(shape.example, path)}`;
    case 'enum':
      return `must be ${orList(
        asArray(params.allowedValues).map((value) => renderJson(value)),
        'or',
      )}`;
    case 'const':
      return `must be ${renderJson(params.allowedValue)}`;
    case 'minLength':
      return limit <= 1
        ? 'is empty; send at least 1 character'
        : `is too short; send at least ${limit} characters`;
    case 'maxLength':
      return `is too long; send at most ${limit} characters`;
    case 'pattern':
      return PATTERN_HINTS.get(String(params.pattern)) ?? `has a form the server does not accept; ${LOOK_UP}`;
    case 'minimum':
      return `must be at least ${limit}`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${limit}`;
    case 'exclusiveMaximum':
      return `must be less than ${limit}`;
    case 'minProperties': {
      const known = Object.keys(propertiesAt(shape.schema, item.schemaPath));
      const some = known.length === 0 ? '' : ` of ${orList(known.map(quote), 'or')}`;
      const example = shape.example === undefined ? '' : `, as in ${renderJson(shape.example)}`;
      return limit <= 1
        ? `is empty; send at least one field${some}${example}`
        : `has too few fields; send at least ${limit}${some}${example}`;
    }
    case 'maxProperties':
      return `has too many fields; send at most ${limit}`;
    case 'minItems':
      return `has too few items; send at least ${limit}`;
    case 'maxItems':
      return `has too many items; send at most ${limit}`;
    default:
      return `is not valid; ${LOOK_UP}`;
  }
}

/** What is wrong with a field's name (a propertyNames violation); no trailing full stop. */
function nameDetail(item: ValidationItem): string {
  const params = item.params ?? {};
  const limit = Number(params.limit);
  switch (item.keyword) {
    case 'maxLength':
      return `is too long; use at most ${limit} characters`;
    case 'minLength':
      return 'is empty; give the field a name';
    case 'pattern':
      return PATTERN_HINTS.get(String(params.pattern)) ?? `is not a name the server accepts; ${LOOK_UP}`;
    default:
      return `is not a name the server accepts; ${LOOK_UP}`;
  }
}

function part(context: string): string {
  return PARTS[context] ?? `the request ${context}`;
}

function capital(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** A field name as the client sent it, shortened: it may be long, and it is only a pointer. */
function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** "a", "a or b", "a, b or c". */
function orList(items: readonly string[], word: 'or' | 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

function typeNouns(type: unknown): string {
  return orList(
    asArray(type).map((name) => TYPE_NOUNS[String(name)] ?? String(name)),
    'or',
  );
}

/** The alternatives of an anyOf (the keyword's array) as nouns: "a string of at most 10000 characters, a number or true or false". */
function alternatives(anyOf: unknown): string {
  const branches = Array.isArray(anyOf) ? anyOf : [];
  const nouns = branches.map((branch) => {
    const { type, maxLength } = (branch ?? {}) as { type?: unknown; maxLength?: unknown };
    const noun = type === undefined ? 'a value' : typeNouns(type);
    return typeof maxLength === 'number' ? `${noun} of at most ${maxLength} characters` : noun;
  });
  return nouns.length === 0 ? 'another kind of value' : orList(nouns, 'or');
}

/** `, such as "alice"` when the example has a value where the wrong one was sent. */
function suchAs(example: unknown, path: readonly string[]): string {
  let value = example;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return '';
    value = (value as Record<string, unknown>)[key];
  }
  return path.length === 0 || value === undefined ? '' : `, such as ${renderJson(value)}`;
}

/** `/a/b~1c` (a JSON pointer) → ["a", "b/c"]. */
function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The schema at an Ajv schemaPath (`#/properties/name/maxLength` → the `name` schema's `maxLength`). */
function schemaAt(schema: unknown, schemaPath: string | undefined): unknown {
  if (schemaPath === undefined || !schemaPath.startsWith('#')) return undefined;
  let node = schema;
  for (const segment of pointerParts(schemaPath.slice(1))) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** The `properties` of the schema that holds the failed keyword. */
function propertiesAt(schema: unknown, schemaPath: string | undefined): Record<string, unknown> {
  const parent = schemaAt(schema, schemaPath?.replace(/\/[^/]*$/, ''));
  const properties = (parent as { properties?: unknown } | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null) return {};
  // Deprecated aliases are accepted but not advertised.
  return Object.fromEntries(
    Object.entries(properties).filter(([, value]) => (value as { deprecated?: unknown }).deprecated !== true),
  );
}

/** JSON on one line with a space after each ":" and ",", as people write it. */
export function renderJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${renderJson(item)}`);
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
