import type { Json } from './client.js';

/**
 * Tolerant readers of CloudStack's JSON: ids come as strings from current versions and as numbers
 * from old ones, and absent values are left out rather than null.
 */

/** A string or number field as a string; undefined when absent or of another type. */
export function text(record: Json, key: string): string | undefined {
  const value = record[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A numeric field, also when CloudStack sent it as a string. */
export function numberOf(record: Json, key: string): number | undefined {
  const value = record[key];
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** A field holding an object. */
export function objectOf(record: Json, key: string): Json | undefined {
  const value = record[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** CloudStack's `2026-01-01T00:00:00+0000` as ISO 8601; undefined when unparseable. */
export function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // The common case, UTC, needs no date arithmetic: describe maps thousands of these.
  if (value.length === 24 && value.endsWith('+0000') && UTC_TIME.test(value))
    return `${value.slice(0, 19)}.000Z`;
  // Date.parse wants "+01:00"; CloudStack writes "+0100".
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(normalized);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/;
