import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConnectorListItem,
  formatConnectorList,
  inspectConnectorList,
  NAME_PATTERN,
  parseConnectorList,
} from './connector-list.js';
import { ConnectorError, type Problem } from './errors.js';
import { yielding } from './testing/yielding.js';

/**
 * Property-based tests of the server's `connectors` parameter (DESIGN.md section 4): whatever an
 * administrator types, the parser either returns the instances or throws one CONFIG_INVALID error
 * whose problems each point at the offending entry by its 1-based position and its text.
 */

/** What parseConnectorList did: the items, or the problems of the one error it may throw. */
type Outcome = { readonly items: ConnectorListItem[] } | { readonly problems: readonly Problem[] };

/** Runs the strict parser and fails the test on any throw but the documented CONFIG_INVALID. */
function parseOutcome(value: string): Outcome {
  try {
    return { items: parseConnectorList(value) };
  } catch (error) {
    expect(ConnectorError.hasCode(error, 'CONFIG_INVALID'), String(error)).toBe(true);
    const problems = (error as ConnectorError).problems;
    // A refusal with nothing to show would leave the administrator guessing.
    expect(problems.length).toBeGreaterThan(0);
    return { problems };
  }
}

/**
 * Every problem names its entry: a 1-based position within the list, and the entry's text as
 * written (trimmed, as the grammar ignores surrounding whitespace). The entries are the text
 * between commas, so the position is checked against an independent split of the input.
 */
function expectProblemsPointAtEntries(value: string, problems: readonly Problem[]): void {
  const rawEntries = value.split(',');
  for (const problem of problems) {
    expect(Number.isInteger(problem.position), JSON.stringify(problem)).toBe(true);
    const position = problem.position as number;
    expect(position).toBeGreaterThanOrEqual(1);
    expect(position).toBeLessThanOrEqual(rawEntries.length);
    expect(problem.text).toBe(rawEntries[position - 1]?.trim());
    expect(problem.message).toMatch(new RegExp(`^Entry ${position}\\b`));
  }
}

/**
 * Nothing is silently dropped: each entry of a non-blank list is either accepted or the subject of
 * at least one problem, never both.
 */
function expectEveryEntryAccounted(value: string): void {
  const { entries, problems } = inspectConnectorList(value);
  if (value.trim() === '') {
    expect(entries).toEqual([]);
    expect(problems).toEqual([]);
    return;
  }
  const count = value.split(',').length;
  const accepted = new Set(entries.map((entry) => entry.position));
  const refused = new Set(problems.map((problem) => problem.position));
  for (let position = 1; position <= count; position++) {
    expect(
      accepted.has(position) !== refused.has(position),
      `entry ${position} of ${JSON.stringify(value)}`,
    ).toBe(true);
  }
  expect(accepted.size + refused.size).toBe(count);
}

/** Budget of each property; generous because CI machines are slow under load. Nothing here asserts a time. */
const BUDGET = 120_000;

// --- Generators -------------------------------------------------------------------------------

const LOWER = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const lowerRun = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...LOWER), minLength: 1, maxLength });

/** A kebab-case name: what the grammar accepts as an instance or connector name. */
const kebabName = fc.array(lowerRun(8), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('-'));

/**
 * Very long valid names: the parser must neither choke on nor truncate them. `size: 'max'` lets
 * fast-check reach the full length; its default size keeps strings short.
 */
const longName = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...LOWER), minLength: 200, maxLength: 5_000, size: 'max' }),
    kebabName,
  )
  .map(([long, tail]) => `${long}-${tail}`);

/** A few names, so that lists often name one instance twice (refused as a duplicate). */
const commonName = fc.constantFrom('local', 'aws', 'cloudstack', 'cloud-2', 'a', 'x1');

const validName = fc.oneof(
  { weight: 4, arbitrary: commonName },
  { weight: 4, arbitrary: kebabName },
  { weight: 1, arbitrary: longName },
);

/** Mixes upper and lower case: harmless in connector names (case-insensitive), fatal in instance names. */
const mixedCase = (name: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  name.chain((n) =>
    fc
      .array(fc.boolean(), { minLength: n.length, maxLength: n.length })
      .map((upper) => [...n].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join('')),
  );

/**
 * Characters that make a name invalid wherever they stand inside it; none of them is trimmed or
 * lowercased into the ASCII name alphabet, and none is a list separator (comma or colon).
 */
const BREAKING = [
  '_',
  '.',
  '/',
  '@',
  '--',
  ' ',
  '\t',
  'é',
  'ß',
  '中',
  '😀',
  '\u200b',
  '\u0000',
  '\\',
  '"',
  '+',
  '*',
];

/** A name that is invalid in any case: a breaking character between two valid names. */
const brokenInside = fc
  .tuple(kebabName, fc.constantFrom(...BREAKING), kebabName)
  .map(([before, bad, after]) => `${before}${bad}${after}`);

/** Names starting or ending with a hyphen, or several hyphens in a row. */
const badHyphens = kebabName.chain((name) =>
  fc.constantFrom(`-${name}`, `${name}-`, `${name}--x`, '-', '---'),
);

/** Unicode text without list separators, valid or not (lowercasing may even make it valid). */
const unicodeToken = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 30 })
  .map((text) => text.replace(/[,:]/g, ''));

/** Any token that may stand between separators: names, broken names, blanks and unicode. */
const token = fc.oneof(
  { weight: 6, arbitrary: validName },
  { weight: 2, arbitrary: mixedCase(validName) },
  { weight: 2, arbitrary: brokenInside },
  { weight: 1, arbitrary: badHyphens },
  { weight: 1, arbitrary: unicodeToken },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '\n') },
);

/** Whitespace the grammar ignores around tokens. */
const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u3000'), maxLength: 3 });
const padded = (
  inner: fc.Arbitrary<string>,
): fc.Arbitrary<{ readonly raw: string; readonly token: string }> =>
  fc
    .tuple(padding, inner, padding)
    .map(([before, value, after]) => ({ raw: `${before}${value}${after}`, token: value }));

/**
 * One entry with the outcome the grammar prescribes for it on its own (duplicates aside):
 * `undefined` when the entry is invalid. The model reads the generated tokens, not the joined text.
 */
interface ModelEntry {
  readonly text: string;
  readonly expected: ConnectorListItem | undefined;
}

const isName = (name: string): boolean => NAME_PATTERN.test(name);

const bareEntry: fc.Arbitrary<ModelEntry> = padded(token).map(({ raw, token: value }) => {
  // Connector names are case-insensitive; an entry without an instance name takes the connector's.
  const connector = value.trim().toLowerCase();
  return { text: raw, expected: isName(connector) ? { instance: connector, connector } : undefined };
});

const namedEntry: fc.Arbitrary<ModelEntry> = fc
  .tuple(padded(token), padded(token))
  .map(([instance, connector]) => {
    const name = instance.token.trim();
    const connectorName = connector.token.trim().toLowerCase();
    const valid = isName(name) && isName(connectorName);
    return {
      text: `${instance.raw}:${connector.raw}`,
      expected: valid ? { instance: name, connector: connectorName } : undefined,
    };
  });

/** Two colons or more: always refused, whatever stands around them. */
const colonsEntry: fc.Arbitrary<ModelEntry> = fc
  .array(padded(token), { minLength: 3, maxLength: 5 })
  .map((parts) => ({ text: parts.map((part) => part.raw).join(':'), expected: undefined }));

const modelEntry = fc.oneof(
  { weight: 5, arbitrary: bareEntry },
  { weight: 5, arbitrary: namedEntry },
  { weight: 1, arbitrary: colonsEntry },
);

const modelList = fc.array(modelEntry, { minLength: 1, maxLength: 12 });

/** The list text of the model entries. */
const joined = (entries: readonly ModelEntry[]): string => entries.map((entry) => entry.text).join(',');

/** Lists that stress the separators: mostly commas, colons, blanks and name characters. */
const separatorSoup = fc.string({
  unit: fc.constantFrom(',', ':', ' ', '\t', 'a', 'B', '-', '1', 'é', '_'),
  maxLength: 40,
});

/** Any list text at all: arbitrary strings, separator-heavy strings, and structured lists. */
const anyList = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  separatorSoup,
  modelList.map(joined),
);

// --- Properties -------------------------------------------------------------------------------

describe('connector list, fuzzed', () => {
  it(
    'never throws but CONFIG_INVALID, and every problem points at its entry (10,000 lists)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          anyList,
          yielding((value) => {
            const inspected = inspectConnectorList(value);
            const outcome = parseOutcome(value);
            if ('items' in outcome) {
              // Accepted only when the lenient reader found nothing wrong either.
              expect(inspected.problems).toEqual([]);
              expect(outcome.items).toEqual(
                inspected.entries.map(({ instance, connector }) => ({ instance, connector })),
              );
            } else {
              // The strict parser reports exactly what the lenient reader finds.
              expect(outcome.problems).toEqual(inspected.problems);
              expectProblemsPointAtEntries(value, outcome.problems);
            }
            expectEveryEntryAccounted(value);
          }),
        ),
        { numRuns: 10_000 },
      );
    },
    BUDGET,
  );

  it(
    'accepts exactly the entries the grammar allows, refusing every duplicate instance name',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          modelList,
          yielding((model) => {
            const value = joined(model);
            // Duplicates are judged among the entries that are otherwise valid: both sides are refused.
            const uses = new Map<string, number>();
            for (const entry of model) {
              if (entry.expected)
                uses.set(entry.expected.instance, (uses.get(entry.expected.instance) ?? 0) + 1);
            }
            const acceptedPositions = model.flatMap((entry, index) =>
              entry.expected && uses.get(entry.expected.instance) === 1 ? [index + 1] : [],
            );
            const outcome = parseOutcome(value);
            if (value.trim() === '') {
              expect(outcome).toEqual({ items: [] });
              return;
            }
            const { entries } = inspectConnectorList(value);
            expect(entries).toEqual(
              acceptedPositions.map((position) => ({ ...model[position - 1]?.expected, position })),
            );
            if (acceptedPositions.length === model.length) {
              expect(outcome).toEqual({ items: model.map((entry) => entry.expected) });
            } else {
              expect('problems' in outcome).toBe(true);
              const problems = 'problems' in outcome ? outcome.problems : [];
              const refused = model.flatMap((_, index) =>
                acceptedPositions.includes(index + 1) ? [] : [index + 1],
              );
              expect([...new Set(problems.map((problem) => problem.position))]).toEqual(refused);
              expectProblemsPointAtEntries(value, problems);
            }
          }),
        ),
        { numRuns: 5_000 },
      );
    },
    BUDGET,
  );

  it(
    'refuses anything but text, null or undefined with one CONFIG_INVALID problem',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.anything().filter((value) => typeof value !== 'string' && value !== null && value !== undefined),
          yielding((value) => {
            const outcome = parseOutcome(value as string);
            expect('problems' in outcome && outcome.problems).toHaveLength(1);
            const [problem] = 'problems' in outcome ? outcome.problems : [];
            expect(problem?.message).toMatch(/must be text/);
            // There is no entry to point at: no position is made up.
            expect(problem?.position).toBeUndefined();
          }),
        ),
        { numRuns: 1_000 },
      );
    },
    BUDGET,
  );
});

/** Distinct instances, as a valid list holds them: instance names unique, connectors anything. */
const validItems = fc.uniqueArray(
  fc.tuple(validName, validName, fc.boolean()).map(([instance, connector, implicit]) => ({
    instance: implicit ? connector : instance,
    connector,
  })),
  { selector: (item) => item.instance, maxLength: 15 },
);

describe('connector list round trip, fuzzed', () => {
  it(
    'parses a formatted list of valid instances back to the same instances',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          validItems,
          yielding((items) => {
            expect(parseConnectorList(formatConnectorList(items))).toEqual(items);
          }),
        ),
        { numRuns: 2_000 },
      );
    },
    BUDGET,
  );

  it(
    'formats any accepted list into canonical text that parses to the same instances',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          modelList.map(joined),
          yielding((value) => {
            const outcome = parseOutcome(value);
            if (!('items' in outcome)) return;
            const canonical = formatConnectorList(outcome.items);
            expect(parseConnectorList(canonical)).toEqual(outcome.items);
            // Canonical text is a fixed point: formatting it again changes nothing.
            expect(formatConnectorList(parseConnectorList(canonical))).toBe(canonical);
          }),
        ),
        { numRuns: 2_000 },
      );
    },
    BUDGET,
  );
});
