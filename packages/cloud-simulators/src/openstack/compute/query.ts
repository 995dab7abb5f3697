import { badRequest } from './errors.js';
import type { Microversion } from './microversion.js';

/**
 * Query-string checks Nova's JSON schemas make: paging parameters, regex filters, and from
 * microversion 2.75 the refusal of any parameter the schema does not know (before that, unknown
 * parameters are dropped silently).
 */

export interface Page {
  /** At most this many items (the client's limit, capped by max_limit). */
  readonly limit: number;
  readonly marker: string | undefined;
}

/** common.get_limit_and_marker, after the schema checked `limit` is a non-negative integer. */
export function pageOf(query: URLSearchParams, maxLimit: number): Page {
  const limits = query.getAll('limit');
  for (const value of limits) {
    if (!/^[0-9]+$/.test(value)) {
      throw badRequest(
        `Invalid input for query parameters limit. Value: ${value}. '${value}' does not match '^[0-9]*$'`,
      );
    }
  }
  const requested = limits.length > 0 ? Number(limits[limits.length - 1]) : maxLimit;
  const markers = query.getAll('marker');
  return { limit: Math.min(maxLimit, requested), marker: markers[markers.length - 1] };
}

/** Refuses parameters outside `known` from 2.75 on, naming the first, as jsonschema does. */
export function checkKnownParameters(
  query: URLSearchParams,
  known: ReadonlySet<string>,
  version: Microversion,
): void {
  if (!version.atLeast('2.75')) return;
  const unknown = [...new Set(query.keys())].filter((name) => !known.has(name) && !name.startsWith('_'));
  if (unknown.length > 0) {
    const listed = unknown.map((name) => `'${name}'`).join(', ');
    throw badRequest(
      `Additional properties are not allowed (${listed} ${unknown.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
}

/** A `format: regex` parameter: compiled, or refused as Nova's schema refuses it. */
export function regexParameter(name: string, value: string): RegExp {
  try {
    return new RegExp(value);
  } catch {
    throw badRequest(
      `Invalid input for query parameters ${name}. Value: ${value}. '${value}' is not a 'regex'`,
    );
  }
}

/** The last value of a parameter (webob's `GET[name]`), or undefined. */
export function lastValue(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  return values[values.length - 1];
}
