import { describe, expect, it } from 'vitest';
import { formatTzDate, parseApiDate, parseTzDate } from './dates.js';

describe('parseTzDate', () => {
  const instant = Date.UTC(2026, 0, 2, 3, 4, 5);

  it.each([
    ['2026-01-02T03:04:05+0000'],
    ['2026-01-02T03:04:05+00:00'],
    ['2026-01-02T03:04:05Z'],
    ['2026-01-02T04:04:05+0100'],
    ['2026-01-02T00:34:05-02:30'],
    ['2026-01-02T03:04:05Z+0000'],
  ])('reads %s', (text) => {
    expect(parseTzDate(text)).toBe(instant);
  });

  it('keeps fractions of a second', () => {
    expect(parseTzDate('2026-01-02T03:04:05.250Z')).toBe(instant + 250);
  });

  it.each([
    ['2026-01-02 03:04:05+0000'],
    ['2026-01-02T03:04:05'],
    ['2026-02-31T00:00:00Z'],
    ['2026-13-01T00:00:00Z'],
    ['tomorrow'],
    [''],
  ])('refuses %j', (text) => {
    expect(parseTzDate(text)).toBeUndefined();
  });
});

describe('parseApiDate', () => {
  const day = Date.UTC(2026, 0, 2);

  it.each([['2026-01-02'], ['2026-01-02T03:04:05+0000'], ['2026-01-02 23:59:59']])(
    'reads the day at the start of %s',
    (text) => {
      expect(parseApiDate(text)).toBe(day);
    },
  );

  it.each([['02/01/2026'], ['2026-02-30'], ['2026-00-10'], ['2026-01-022'], ['yesterday'], ['']])(
    'refuses %j',
    (text) => {
      expect(parseApiDate(text)).toBeUndefined();
    },
  );
});

describe('formatTzDate', () => {
  it("writes CloudStack's yyyy-MM-dd'T'HH:mm:ssZ in UTC", () => {
    expect(formatTzDate(Date.UTC(2026, 0, 1, 0, 0, 0, 999))).toBe('2026-01-01T00:00:00+0000');
  });
});
