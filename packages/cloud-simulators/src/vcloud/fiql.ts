import { uuidIn } from './hrefs.js';

/**
 * The query service's `filter`: FIQL as vCD reads it. A constraint is `attribute<op>value` with ==,
 * !=, =lt=, =le=, =gt=, =ge=; `;` is AND, `,` is OR (AND binds tighter), parentheses group. In ==
 * and != a `*` in the value matches any characters. Reference attributes (vdc, container,
 * catalog…) match an href, a URN or a bare uuid naming the same entity.
 */

export type Filter =
  | { readonly kind: 'and' | 'or'; readonly parts: readonly Filter[] }
  | { readonly kind: 'test'; readonly attribute: string; readonly op: Operator; readonly value: string };

type Operator = '==' | '!=' | '=lt=' | '=le=' | '=gt=' | '=ge=';

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

const OPERATOR = /^(==|!=|=lt=|=le=|=gt=|=ge=)/;

export function parseFilter(text: string): Filter {
  let position = 0;

  const fail = (message: string): never => {
    throw new FilterError(`Bad filter "${text}": ${message} at position ${position}.`);
  };

  function orExpression(): Filter {
    const parts = [andExpression()];
    while (text[position] === ',') {
      position += 1;
      parts.push(andExpression());
    }
    return parts.length === 1 ? (parts[0] as Filter) : { kind: 'or', parts };
  }

  function andExpression(): Filter {
    const parts = [term()];
    while (text[position] === ';') {
      position += 1;
      parts.push(term());
    }
    return parts.length === 1 ? (parts[0] as Filter) : { kind: 'and', parts };
  }

  function term(): Filter {
    if (text[position] === '(') {
      position += 1;
      const inner = orExpression();
      if (text[position] !== ')') fail('a ")" is missing');
      position += 1;
      return inner;
    }
    const start = position;
    while (position < text.length && /[A-Za-z0-9_.:-]/.test(text[position] as string)) position += 1;
    const attribute = text.slice(start, position);
    if (attribute === '') fail('an attribute name is expected');
    const op = OPERATOR.exec(text.slice(position))?.[1] as Operator | undefined;
    if (!op) return fail(`an operator (==, !=, =lt=, =le=, =gt=, =ge=) is expected after "${attribute}"`);
    position += op.length;
    let value = '';
    if (text[position] === '"' || text[position] === "'") {
      const quote = text[position];
      const end = text.indexOf(quote as string, position + 1);
      if (end < 0) fail('a closing quote is missing');
      value = text.slice(position + 1, end);
      position = end + 1;
    } else {
      const valueStart = position;
      while (position < text.length && !';,()'.includes(text[position] as string)) position += 1;
      value = text.slice(valueStart, position);
    }
    return { kind: 'test', attribute, op, value };
  }

  const filter = orExpression();
  if (position !== text.length) fail('unexpected text');
  return filter;
}

/** The attributes a filter names, to check them against a query type's. */
export function attributesOf(filter: Filter): string[] {
  return filter.kind === 'test' ? [filter.attribute] : filter.parts.flatMap(attributesOf);
}

export interface FilterableRecord {
  /** Attribute values as vCD writes them (booleans "true"/"false", numbers in decimal). */
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

export function matches(
  filter: Filter,
  record: FilterableRecord,
  referenceAttributes: ReadonlySet<string>,
): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.parts.every((part) => matches(part, record, referenceAttributes));
    case 'or':
      return filter.parts.some((part) => matches(part, record, referenceAttributes));
    case 'test':
      return test(filter, record.attributes[filter.attribute], referenceAttributes.has(filter.attribute));
  }
}

function test(
  filter: Extract<Filter, { kind: 'test' }>,
  actual: string | undefined,
  isReference: boolean,
): boolean {
  switch (filter.op) {
    case '==':
      return equals(actual, filter.value, isReference);
    case '!=':
      return !equals(actual, filter.value, isReference);
    default: {
      if (actual === undefined) return false;
      const order = compare(actual, filter.value);
      if (filter.op === '=lt=') return order < 0;
      if (filter.op === '=le=') return order <= 0;
      if (filter.op === '=gt=') return order > 0;
      return order >= 0;
    }
  }
}

function equals(actual: string | undefined, expected: string, isReference: boolean): boolean {
  if (actual === undefined) return expected === '';
  if (isReference) {
    const [a, b] = [uuidIn(actual), uuidIn(expected)];
    if (a !== undefined && b !== undefined) return a === b;
  }
  if (/^(true|false)$/i.test(expected) && /^(true|false)$/i.test(actual)) {
    return actual.toLowerCase() === expected.toLowerCase();
  }
  if (!expected.includes('*')) return actual === expected;
  const pattern = expected
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(actual);
}

/** Numbers by value, everything else (ISO dates included) as text. */
function compare(actual: string, expected: string): number {
  const [a, b] = [Number(actual), Number(expected)];
  if (actual.trim() !== '' && expected.trim() !== '' && Number.isFinite(a) && Number.isFinite(b))
    return a - b;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}
