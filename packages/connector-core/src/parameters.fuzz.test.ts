import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, type ConnectorDefinition, type Session } from './contract.js';
import { ConnectorError, type Problem } from './errors.js';
import { createInstance, instanceParameterSpecs } from './instance.js';
import {
  COMMON_PARAMETERS,
  type FieldSpec,
  type FieldValue,
  isSecretField,
  validateFields,
} from './parameters.js';
import { yielding } from './testing/yielding.js';

/**
 * Property-based tests of parameter and credential validation: random specs against random
 * values, wrong types, huge strings, NaN, nested objects and prototype keys included. Validation
 * reports problems (validateFields) or throws exactly CONFIG_INVALID (createInstance) or
 * CREDENTIALS_INVALID (a session's credentials); every problem names its key; no secret value ever
 * reaches a message; and values that fit their specs always pass.
 */

/**
 * Every secret the tests give carries this marker, and nothing else they generate does: the values
 * of secret fields, passwords inside URLs, and values under keys no spec knows (a mistyped secret
 * key must not expose its value either). A message containing the marker has leaked a secret.
 */
const MARK = 's3cr3t-';

/** Budget of each property; generous because CI machines are slow under load. Nothing here asserts a time. */
const BUDGET = 120_000;

const ALNUM = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const LOWER = [...'abcdefghijklmnopqrstuvwxyz0123456789'];

/** Text that never contains the marker, so that finding the marker always means a leak. */
const unmarked = (text: fc.Arbitrary<string>): fc.Arbitrary<string> => text.filter((t) => !t.includes(MARK));

/**
 * Huge text: a short random piece repeated (generating tens of thousands of characters one by
 * one would make each run slow without finding more).
 */
const huge = (piece: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string> =>
  fc
    .tuple(piece, fc.integer({ min: 1_000, max: maxLength }))
    .map(([text, length]) => text.repeat(Math.ceil(length / Math.max(1, text.length))).slice(0, length));

/** A secret: the marker, then short or very long text (up to 20,000 characters). */
const secretText = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 24 }) },
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }) },
    {
      weight: 1,
      arbitrary: huge(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 10 }), 20_000),
    },
  )
  .map((rest) => `${MARK}${rest}`);

/**
 * A secret that is a number: nine digits or more, so that it cannot be part of the numbers a
 * message may hold for other reasons (bounds stay below a million here).
 */
const secretNumber = fc.integer({ min: 100_000_000, max: Number.MAX_SAFE_INTEGER });

/** Parameter keys as definitions declare them (dotted lowercase), and a few of Object's own names. */
const fieldKey = fc.oneof(
  fc
    .tuple(
      fc.array(fc.string({ unit: fc.constantFrom(...LOWER), minLength: 1, maxLength: 6 }), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.constantFrom('.', '-', '_'),
    )
    .map(([parts, separator]) => parts.join(separator)),
  fc.constantFrom('constructor', 'prototype', 'valueof', 'tostring', 'hasownproperty', 'proto'),
);

/** Keys an input may carry besides the specs': typos, prototype names, unicode, huge keys. */
const inputKey = fc.oneof(
  { weight: 3, arbitrary: fieldKey },
  {
    weight: 3,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
  },
  { weight: 3, arbitrary: unmarked(fc.string({ unit: 'binary', maxLength: 20 })) },
  {
    weight: 1,
    arbitrary: huge(fc.string({ unit: fc.constantFrom(...LOWER), minLength: 1, maxLength: 10 }), 20_000),
  },
);

const bound = fc.integer({ min: -999_999, max: 999_999 });
const label = unmarked(fc.string({ maxLength: 30 }));

/** One random spec of any type, its default (when it has one) valid for it. */
const fieldSpec: fc.Arbitrary<FieldSpec> = fc
  .record({
    key: fieldKey,
    label,
    description: label,
    required: fc.option(fc.boolean(), { nil: undefined }),
    secret: fc.option(fc.boolean(), { nil: undefined }),
    type: fc.constantFrom('string', 'url', 'integer', 'boolean', 'enum', 'secret' as const),
    bounds: fc.tuple(fc.option(bound, { nil: undefined }), fc.option(bound, { nil: undefined })),
    values: fc.uniqueArray(fc.string({ unit: fc.constantFrom(...LOWER), minLength: 1, maxLength: 8 }), {
      minLength: 1,
      maxLength: 5,
    }),
    withDefault: fc.boolean(),
    pick: fc.nat(),
  })
  .map(({ bounds: [a, b], values, withDefault, pick, ...rest }) => {
    const min = a !== undefined && b !== undefined ? Math.min(a, b) : a;
    const max = a !== undefined && b !== undefined ? Math.max(a, b) : b;
    const spec: Record<string, unknown> = { ...rest };
    if (rest.required === undefined) delete spec.required;
    if (rest.secret === undefined) delete spec.secret;
    if (rest.type === 'integer') {
      if (min !== undefined) spec.min = min;
      if (max !== undefined) spec.max = max;
    }
    if (rest.type === 'enum') spec.values = values;
    if (withDefault) {
      const defaults: Record<FieldSpec['type'], FieldValue> = {
        string: 'plain default',
        url: 'https://cloud.example.org/api',
        integer: min ?? max ?? 7,
        boolean: pick % 2 === 0,
        enum: values[pick % values.length] ?? '',
        secret: `${MARK}default`,
      };
      spec.default = defaults[rest.type];
    }
    return spec as unknown as FieldSpec;
  });

const fieldSpecs = (exclude: readonly string[] = []): fc.Arbitrary<FieldSpec[]> =>
  fc.uniqueArray(
    fieldSpec.filter((spec) => !exclude.includes(spec.key)),
    { selector: (spec) => spec.key, maxLength: 6 },
  );

/** Values of no particular fit: JSON of every kind, NaN and infinities, huge strings, objects. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  unmarked(fc.string({ maxLength: 40 })),
  fc.constantFrom(' 42 ', '-0', '1e3', '0x1f', 'TRUE', ' false ', 'yes', '', ' ', 'null', '{}'),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 2 ** 53, 1.5),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  huge(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 10 }), 50_000),
  fc.jsonValue({ maxDepth: 3 }).filter((value) => !JSON.stringify(value ?? null).includes(MARK)),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}')),
  fc.constant([[[]]]),
  fc.constant(new Date(0)),
);

/**
 * Values for a secret field: the marker hidden in every shape a caller might send, right or wrong.
 * A secret number stays a number (nothing to mark) but is long enough to be recognised.
 */
const secretValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: secretText },
  { weight: 1, arbitrary: secretText.map((s) => `  ${s}  `) },
  { weight: 1, arbitrary: secretNumber },
  { weight: 1, arbitrary: secretNumber.map((n) => ` ${n} `) },
  { weight: 1, arbitrary: secretText.map((s) => ({ nested: { deeper: s } })) },
  { weight: 1, arbitrary: secretText.map((s) => [s, s]) },
  { weight: 1, arbitrary: secretText.map((s) => `https://cloud.example.org/${s}`) },
  { weight: 1, arbitrary: secretText.map((s) => `not a url ${s}`) },
);

/**
 * URLs hiding a password in their user info or a secret query parameter, valid or not (a space
 * in the host, no scheme, a scheme other than http): a URL field's problems never quote them.
 */
const urlWithSecret = fc
  .record({
    scheme: fc.constantFrom('http://', 'https://', 'ftp://', 'htp://', '//', 'javascript://'),
    user: fc.constantFrom('', 'admin', 'a b'),
    secret: secretText.map((s) => encodeURIComponent(s)),
    host: fc.constantFrom('cloud.example.org', 'cloud example.org', '[::1', 'exa%mple', ''),
    path: fc.constantFrom('', '/api', '/a b'),
    where: fc.constantFrom('userinfo', 'query'),
  })
  .map(({ scheme, user, secret, host, path, where }) =>
    where === 'userinfo'
      ? `${scheme}${user}:${secret}@${host}${path}`
      : `${scheme}${host}${path}?password=${secret}`,
  );

/** URL fields are given URLs with a password in them (see urlWithSecret). */
const isUrlSpec = (spec: FieldSpec): boolean => spec.type === 'url';

interface Given {
  readonly specs: FieldSpec[];
  readonly input: Record<string, unknown>;
}

/** Defines `key` as an own enumerable property, `__proto__` included, as JSON.parse would. */
function own(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Random specs and an input for them: each spec's key absent, or given a wrong value, a value
 * hiding a secret (secret specs and URL specs), plus extra keys the specs do not know.
 */
const fuzzedInput = (exclude: readonly string[] = []): fc.Arbitrary<Given> =>
  fieldSpecs(exclude).chain((specs) =>
    fc
      .tuple(
        fc.tuple(
          ...specs.map((spec) =>
            fc.option(
              isSecretField(spec)
                ? secretValue
                : isUrlSpec(spec)
                  ? fc.oneof(urlWithSecret, wrongValue)
                  : fc.oneof(
                      wrongValue,
                      validValue(spec).map((v) => v.raw),
                    ),
              { nil: undefined, freq: 4 },
            ),
          ),
        ),
        fc.array(fc.tuple(inputKey, fc.oneof(wrongValue, secretText)), { maxLength: 4 }),
      )
      .map(([values, extra]) => {
        const input: Record<string, unknown> = {};
        specs.forEach((spec, index) => {
          if (values[index] !== undefined) own(input, spec.key, values[index]);
        });
        for (const [key, value] of extra) if (!specs.some((spec) => spec.key === key)) own(input, key, value);
        return { specs, input };
      }),
  );

/** A raw value that fits the spec, and what validation turns it into. */
interface Valid {
  readonly raw: unknown;
  readonly value: FieldValue;
}

const pad = fc.constantFrom('', ' ', '  ', '\t', '\n');

function validValue(spec: FieldSpec): fc.Arbitrary<Valid> {
  switch (spec.type) {
    case 'string':
    case 'secret':
      // Any non-empty text is kept as given: an empty string means "not given".
      return (isSecretField(spec) ? secretText : fc.string({ minLength: 1, maxLength: 50 })).map((text) => ({
        raw: text,
        value: text,
      }));
    case 'url':
      return fc
        .tuple(fc.constantFrom('http', 'https', 'HTTPS'), fc.webAuthority(), fc.webPath())
        .map(([scheme, authority, path]) => `${scheme}://${authority}${path}`)
        .map((url) => ({ raw: url, value: url }));
    case 'integer': {
      const n = fc.integer({
        min: spec.min ?? Number.MIN_SAFE_INTEGER,
        max: spec.max ?? Number.MAX_SAFE_INTEGER,
      });
      // Configuration files give text ("42", padded), the API gives numbers.
      return fc.oneof(
        n.map((value) => ({ raw: value, value })),
        fc.tuple(pad, n, pad).map(([before, value, after]) => ({ raw: `${before}${value}${after}`, value })),
      );
    }
    case 'boolean':
      return fc
        .boolean()
        .chain((value) =>
          fc.constantFrom(
            { raw: value, value },
            { raw: String(value), value },
            { raw: ` ${String(value).toUpperCase()} `, value },
          ),
        );
    case 'enum':
      return fc.constantFrom(...(spec.values ?? [])).map((value) => ({ raw: value, value }));
  }
}

/** Specs with an input holding only valid values (or nothing, where that is allowed) and the expected result. */
const validInput = fieldSpecs().chain((specs) =>
  fc
    .tuple(
      ...specs.map((spec) => {
        const absent = fc.constantFrom(undefined, null, '');
        const given = validValue(spec);
        // A required field without default must be given; anything else may be left out.
        return spec.required && spec.default === undefined
          ? given
          : fc.oneof(
              given,
              absent.map((raw) => ({ raw, value: undefined })),
            );
      }),
    )
    .map((chosen) => {
      const input: Record<string, unknown> = {};
      const expected: Record<string, FieldValue> = {};
      specs.forEach((spec, index) => {
        const choice = chosen[index] as { raw: unknown; value: FieldValue | undefined };
        if (choice.raw !== undefined) own(input, spec.key, choice.raw);
        const value = choice.value ?? spec.default;
        if (value !== undefined) expected[spec.key] = value;
      });
      return { specs, input, expected };
    }),
);

// --- Checks -----------------------------------------------------------------------------------

/** Every text a problem carries: where a leaked secret would show. */
function problemTexts(problems: readonly Problem[]): string[] {
  return problems.flatMap((problem) =>
    [problem.message, problem.key, problem.text, problem.instance].filter(
      (t): t is string => t !== undefined,
    ),
  );
}

/** The secret numbers given to secret fields, as they would be printed. */
function secretNumbers(given: Given): string[] {
  return given.specs.filter(isSecretField).flatMap((spec) => {
    const value = Object.hasOwn(given.input, spec.key) ? given.input[spec.key] : undefined;
    if (typeof value === 'number') return [String(value)];
    if (typeof value === 'string' && /^\s*\d{9,}\s*$/.test(value)) return [value.trim()];
    return [];
  });
}

function expectNoSecretIn(texts: readonly string[], given: Given): void {
  // A secret number that a non-secret value also contains may show through that value.
  const secretKeys = new Set(given.specs.filter(isSecretField).map((spec) => spec.key));
  const publicText = JSON.stringify(Object.entries(given.input).filter(([key]) => !secretKeys.has(key)));
  const numbers = secretNumbers(given).filter((number) => !publicText.includes(number));
  for (const text of texts) {
    expect(text.includes(MARK), `a secret leaked into: ${text.slice(0, 300)}`).toBe(false);
    for (const number of numbers) expect(text).not.toContain(number);
  }
}

/** Problems name their key: a spec's key or one of the input's, quoted in the message. */
function expectProblemsNameKeys(given: Given, problems: readonly Problem[], instance?: string): void {
  const keys = new Set([...given.specs.map((spec) => spec.key), ...Object.keys(given.input)]);
  for (const problem of problems) {
    expect(typeof problem.key, problem.message).toBe('string');
    expect(keys.has(problem.key as string), `problem about unknown key ${problem.key}`).toBe(true);
    expect(problem.message).toContain(`"${problem.key}"`);
    if (instance !== undefined) expect(problem.instance).toBe(instance);
  }
  // Every key the specs do not know is reported, never silently ignored.
  const known = new Set(given.specs.map((spec) => spec.key));
  for (const key of Object.keys(given.input)) {
    if (!known.has(key))
      expect(
        problems.some((problem) => problem.key === key),
        key,
      ).toBe(true);
  }
  // A required field without a default that was not given is reported.
  for (const spec of given.specs) {
    const value = Object.hasOwn(given.input, spec.key) ? given.input[spec.key] : undefined;
    const missing = value === undefined || value === null || value === '';
    if (spec.required && spec.default === undefined && missing) {
      expect(problems.some((problem) => problem.key === spec.key)).toBe(true);
    }
  }
}

/** What validation accepted has its spec's type and bounds, and comes from a spec. */
function expectValuesFitSpecs(
  specs: readonly FieldSpec[],
  values: Readonly<Record<string, FieldValue>>,
): void {
  const byKey = new Map(specs.map((spec) => [spec.key, spec]));
  for (const [key, value] of Object.entries(values)) {
    const spec = byKey.get(key);
    expect(spec, key).toBeDefined();
    if (spec === undefined) continue;
    switch (spec.type) {
      case 'string':
      case 'secret':
        expect(typeof value).toBe('string');
        break;
      case 'url':
        expect(['http:', 'https:']).toContain(new URL(String(value)).protocol);
        break;
      case 'integer':
        expect(Number.isSafeInteger(value)).toBe(true);
        if (spec.min !== undefined) expect(value).toBeGreaterThanOrEqual(spec.min);
        if (spec.max !== undefined) expect(value).toBeLessThanOrEqual(spec.max);
        break;
      case 'boolean':
        expect(typeof value).toBe('boolean');
        break;
      case 'enum':
        expect(spec.values).toContain(value);
        break;
    }
  }
}

// --- Properties -------------------------------------------------------------------------------

describe('validateFields, fuzzed', () => {
  it(
    'never throws, names the key of every problem and never shows a secret',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fuzzedInput(),
          fc.constantFrom('parameter', 'credential'),
          yielding((given, subject) => {
            const { values, problems } = validateFields(given.specs, given.input, {
              subject,
              instance: 'fuzz',
            });
            expectProblemsNameKeys(given, problems, 'fuzz');
            expectNoSecretIn(problemTexts(problems), given);
            expectValuesFitSpecs(given.specs, values);
            // A field with a problem gets no value: nothing half-valid travels on.
            for (const problem of problems) {
              if (given.specs.some((spec) => spec.key === problem.key)) {
                expect(Object.hasOwn(values, problem.key as string)).toBe(false);
              }
            }
            // Prototype keys in the input are data: they neither pollute nor replace Object's own.
            expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          }),
        ),
        { numRuns: 3_000 },
      );
    },
    BUDGET,
  );

  it('does not quote the password of a URL that fails to parse (found by the property above)', () => {
    const url: FieldSpec = { key: 'endpoint', label: 'Endpoint', description: 'API URL.', type: 'url' };
    for (const endpoint of [
      `https://admin:${MARK}pw@cloud example.org/api`,
      `http://:${MARK}pw@exa%mple`,
      `//cloud.example.org/api?password=${MARK}pw`,
    ]) {
      const { problems } = validateFields([url], { endpoint });
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).toMatch(/must be an absolute http\(s\) URL/);
      expect(problems[0]?.message).not.toContain(MARK);
    }
  });

  it(
    'refuses an input that is not an object with one problem, whatever it holds',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fieldSpecs(),
          fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.array(fc.jsonValue(), { maxLength: 3 })),
          yielding((specs, input) => {
            const { values, problems } = validateFields(specs, input as never);
            expect(problems).toHaveLength(1);
            expect(problems[0]?.message).toMatch(/must be an object/);
            expect(values).toEqual({});
          }),
        ),
        { numRuns: 1_000 },
      );
    },
    BUDGET,
  );

  it(
    'accepts values that fit their specs, coerced, with defaults applied',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          validInput,
          yielding(({ specs, input, expected }) => {
            const { values, problems } = validateFields(specs, input);
            expect(problems).toEqual([]);
            expect(values).toEqual(expected);
          }),
        ),
        { numRuns: 3_000 },
      );
    },
    BUDGET,
  );
});

/** A connector whose session does nothing: what is tested is core's checking around it. */
function definitionOf(parameters: FieldSpec[], credentials: FieldSpec[]): ConnectorDefinition {
  const session: Session = {
    checkCredentials: async () => {},
    listImages: async () => [],
    listSizes: async () => [],
    listZones: async () => [],
    launch: async () => [],
    describe: async () => [],
    terminate: async () => {},
  };
  return {
    name: 'fuzz',
    cloud: 'Fuzz Cloud',
    contract: CONTRACT_VERSION,
    parameters,
    credentials,
    capabilities: { stopStart: false, zones: false, sshKeys: false, userData: false, tags: false },
    states: { UP: 'running' },
    create: () => ({ session: () => session }),
  };
}

/** Every form an error is seen in: its message, its JSON (as the server sends it) and util.inspect. */
function errorTexts(error: ConnectorError): string[] {
  return [
    error.message,
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    ...problemTexts(error.problems),
  ];
}

const COMMON_KEYS = COMMON_PARAMETERS.map((spec) => spec.key);

describe('createInstance and sessions, fuzzed', () => {
  it(
    'throw only CONFIG_INVALID or CREDENTIALS_INVALID, naming each key, never showing a secret',
    async () => {
      await fc.assert(
        fc.asyncProperty(fuzzedInput(COMMON_KEYS), fuzzedInput(), async (parameters, credentials) => {
          const definition = definitionOf(parameters.specs, credentials.specs);
          const expectedProblems = validateFields(instanceParameterSpecs(definition), parameters.input, {
            instance: 'fuzz-1',
          }).problems;
          let instance: Awaited<ReturnType<typeof createInstance>>;
          try {
            instance = await createInstance(definition, { instance: 'fuzz-1', parameters: parameters.input });
          } catch (error) {
            expect(ConnectorError.hasCode(error, 'CONFIG_INVALID'), String(error)).toBe(true);
            const refused = error as ConnectorError;
            expect(refused.instance).toBe('fuzz-1');
            expect(refused.problems).toEqual(expectedProblems);
            expect(refused.problems.length).toBeGreaterThan(0);
            expectProblemsNameKeys(
              { specs: instanceParameterSpecs(definition), input: parameters.input },
              refused.problems,
              'fuzz-1',
            );
            expectNoSecretIn(errorTexts(refused), parameters);
            return;
          }
          // Created only when validation found nothing to refuse.
          expect(expectedProblems).toEqual([]);
          try {
            const credentialProblems = validateFields(credentials.specs, credentials.input).problems;
            try {
              await instance.session(credentials.input);
              expect(credentialProblems).toEqual([]);
            } catch (error) {
              expect(ConnectorError.hasCode(error, 'CREDENTIALS_INVALID'), String(error)).toBe(true);
              const refused = error as ConnectorError;
              expect(refused.problems.map((problem) => problem.key)).toEqual(
                credentialProblems.map((problem) => problem.key),
              );
              expectProblemsNameKeys(credentials, refused.problems, 'fuzz-1');
              expectNoSecretIn(errorTexts(refused), credentials);
            }
          } finally {
            await instance.close();
          }
        }),
        { numRuns: 500 },
      );
    },
    BUDGET,
  );
});
