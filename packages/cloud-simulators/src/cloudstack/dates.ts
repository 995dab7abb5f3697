/** CloudStack's date formats: what `expires` and `startdate` accept, and what responses show. */

/**
 * Parses a date the way DateUtil.parseTZDateString does (CloudStack 4.18+): ISO 8601 with an
 * offset (`+01:00`, `+0100` or `Z`), optional fractions of a second, and the legacy
 * `yyyy-MM-dd'T'HH:mm:ss'Z'+0000` form. Returns epoch milliseconds, undefined when unparseable.
 */
export function parseTzDate(text: string): number | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|Z?([+-])(\d{2}):?(\d{2}))$/.exec(
      text,
    );
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  let time = Date.UTC(y, mo - 1, d, h, mi, s, millis);
  // Date.UTC rolls 31 February over into March; a real calendar date does not.
  if (new Date(time).getUTCDate() !== d) return undefined;
  if (!zulu) {
    const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
    time -= sign === '-' ? -offset : offset;
  }
  return time;
}

/**
 * Parses a DATE parameter (listAsyncJobs' `startdate`) the way ParamProcessWorker does: with a
 * strict `SimpleDateFormat("yyyy-MM-dd")` that reads the date at the start of the text and ignores
 * whatever follows, so `2026-01-02T03:04:05+0000` means the start of 2 January. The day starts in
 * the management server's time zone, UTC here. Returns epoch milliseconds, undefined when the
 * text does not start with a real calendar date.
 */
export function parseApiDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(text);
  if (!match) return undefined;
  const [y, mo, d] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (mo < 1 || mo > 12 || d < 1) return undefined;
  const time = Date.UTC(y, mo - 1, d);
  // A strict SimpleDateFormat refuses 31 February rather than rolling it over into March.
  return new Date(time).getUTCDate() === d ? time : undefined;
}

/** CloudStack's output date format, `yyyy-MM-dd'T'HH:mm:ssZ` in UTC: `2026-01-01T00:00:00+0000`. */
export function formatTzDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}+0000`;
}
