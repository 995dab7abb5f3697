import { Ec2Error, invalidParameterValue, missingParameter } from './errors.js';

/**
 * The EC2 query protocol's parameter encodings: scalars by name (`ImageId`), lists as `Name.N`
 * (`InstanceId.1`, `InstanceId.2`), structures as `Name.Member` (`Placement.AvailabilityZone`),
 * and lists of structures as `Name.N.Member` (`Filter.1.Name`, `Filter.1.Value.1`,
 * `TagSpecification.1.Tag.1.Key`). N counts from 1 and need not be contiguous; items are taken in
 * numeric order.
 */
export class Params {
  readonly #values: ReadonlyMap<string, string>;

  constructor(values: ReadonlyMap<string, string>) {
    this.#values = values;
  }

  /** Form body parameters after query-string ones; a body value wins over a query value. */
  static from(query: URLSearchParams, body: string | undefined): Params {
    const values = new Map<string, string>();
    for (const [name, value] of query) values.set(name, value);
    if (body) for (const [name, value] of new URLSearchParams(body)) values.set(name, value);
    return new Params(values);
  }

  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === '') throw missingParameter(name);
    return value;
  }

  /** Every parameter, as sent (for idempotency fingerprints). */
  entries(): Array<[string, string]> {
    return [...this.#values];
  }

  /** `Name.N` values in the order of N. */
  list(name: string): string[] {
    return this.#indexed(name)
      .filter(([, rest]) => rest === '')
      .map(([, , value]) => value);
  }

  /** `Name.N.…` sub-parameters grouped by N, in the order of N. */
  structs(name: string): Params[] {
    const groups = new Map<number, Map<string, string>>();
    for (const [index, rest, value] of this.#indexed(name)) {
      if (!rest.startsWith('.')) continue;
      const group = groups.get(index) ?? new Map<string, string>();
      group.set(rest.slice(1), value);
      groups.set(index, group);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => new Params(group));
  }

  /** `Name.Member` sub-parameters of a structure. */
  struct(name: string): Params {
    const prefix = `${name}.`;
    const group = new Map<string, string>();
    for (const [key, value] of this.#values)
      if (key.startsWith(prefix)) group.set(key.slice(prefix.length), value);
    return new Params(group);
  }

  /** An integer parameter, or undefined when absent. */
  integer(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value.trim())) {
      throw invalidParameterValue(`Invalid value '${value}' for ${name}. It must be an integer.`);
    }
    return Number(value);
  }

  boolean(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') {
      throw invalidParameterValue(`Invalid value '${value}' for ${name}. It must be true or false.`);
    }
    return value === 'true';
  }

  /** [N, what follows N, value] of every `Name.N…` parameter, sorted by N. */
  #indexed(name: string): Array<[number, string, string]> {
    const prefix = `${name}.`;
    const found: Array<[number, string, string]> = [];
    for (const [key, value] of this.#values) {
      if (!key.startsWith(prefix)) continue;
      const match = /^(\d+)(.*)$/.exec(key.slice(prefix.length));
      if (match) found.push([Number(match[1]), match[2] as string, value]);
    }
    return found.sort(([a], [b]) => a - b);
  }
}

/** A `Filter.N` with its values. */
export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

export function filtersOf(params: Params): Filter[] {
  return params.structs('Filter').map((filter) => {
    const name = filter.get('Name');
    if (!name) throw missingParameter('Filter.Name');
    return { name, values: filter.list('Value') };
  });
}

/** EC2 filter values may use `*` (any run) and `?` (one character) wildcards. */
export function matchesValue(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

/**
 * Applies filters: a resource passes when, for every filter, one of the filter's values matches one
 * of the resource's values for that name. `known` lists the filter names the action accepts (a
 * name ending in `:` accepts any suffix, as `tag:`); EC2 refuses any other.
 */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly Filter[],
  known: readonly string[],
  valuesOf: (item: T, name: string) => readonly (string | undefined)[],
): T[] {
  for (const filter of filters) {
    const accepted = known.some((name) =>
      name.endsWith(':') ? filter.name.startsWith(name) : name === filter.name,
    );
    if (!accepted) throw invalidParameterValue(`The filter '${filter.name}' is invalid`);
  }
  return items.filter((item) =>
    filters.every((filter) => {
      const values = valuesOf(item, filter.name);
      return filter.values.some((pattern) => values.some((value) => matchesValue(pattern, value)));
    }),
  );
}

/** One page of a list, and the token of the next one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken: string | undefined;
}

/**
 * MaxResults/NextToken pagination. The token is opaque to clients: the offset of the next item and
 * a digest of the request's other parameters, so that a token is refused with another query.
 * Without MaxResults everything is answered at once.
 */
export function paginate<T>(
  items: readonly T[],
  params: Params,
  limits: { readonly min: number; readonly max: number },
  querySignature: string,
): Page<T> {
  const maxResults = params.integer('MaxResults');
  const token = params.get('NextToken');
  if (maxResults !== undefined && (maxResults < limits.min || maxResults > limits.max)) {
    throw invalidParameterValue(
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Parameter must be between ${limits.min} and ${limits.max}.`,
    );
  }
  let offset = 0;
  if (token !== undefined && token !== '') offset = decodeToken(token, querySignature);
  if (maxResults === undefined && offset === 0) return { items, nextToken: undefined };
  const size = maxResults ?? limits.max;
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeToken(offset + size, querySignature) : undefined;
  return { items: page, nextToken: next };
}

function encodeToken(offset: number, querySignature: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: querySignature })).toString('base64url');
}

function decodeToken(token: string, querySignature: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown;
      q?: unknown;
    };
    if (
      typeof parsed.o === 'number' &&
      Number.isInteger(parsed.o) &&
      parsed.o >= 0 &&
      parsed.q === querySignature
    ) {
      return parsed.o;
    }
  } catch {
    // refused below
  }
  throw new Ec2Error('InvalidPaginationToken', `Invalid pagination token: '${token}'.`);
}
