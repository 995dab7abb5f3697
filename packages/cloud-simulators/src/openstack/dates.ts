/**
 * The timestamp spellings of the OpenStack services, which differ by field: whole seconds with a Z
 * (oslo `isotime`, Nova's created/updated, Glance's created_at), microseconds with a Z (Keystone's
 * expires_at/issued_at) and Python's naive `isoformat()` (Nova's OS-SRV-USG:launched_at).
 */

/** `2019-04-23T15:19:09Z` */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `2015-11-07T02:58:43.578000Z` */
export function isoMicros(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`;
}

/** `2019-04-23T15:19:10.855000`, or without a fraction on a whole second, as Python prints it. */
export function naiveIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.slice(0, 19) : `${iso.slice(0, 23)}000`;
}

/** Parses an ISO 8601 timestamp (a missing zone means UTC, as oslo reads it); undefined if it is none. */
export function parseIso(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value))
    return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) || value.length === 10 ? value : `${value}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}
