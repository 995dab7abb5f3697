import { describe, expect, it } from 'vitest';
import { clientToken, storedKey } from './launch.js';

describe('clientToken', () => {
  it('is the idempotency key when EC2 takes it as a ClientToken (64 printable ASCII characters)', () => {
    expect(clientToken('launch-2026-12-06-web')).toBe('launch-2026-12-06-web');
    expect(clientToken('k'.repeat(64))).toBe('k'.repeat(64));
  });

  it('is a digest for a longer key or one EC2 would refuse, the same for the same key', () => {
    const long = clientToken('k'.repeat(65));
    expect(long).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(clientToken('k'.repeat(65))).toBe(long);
    expect(clientToken('clé avec espaces')).toMatch(/^sha256-/);
    expect(clientToken('k'.repeat(66))).not.toBe(long);
  });
});

describe('storedKey', () => {
  it('keeps a key that fits a tag value (256 characters) and digests a longer one', () => {
    expect(storedKey('k'.repeat(256))).toBe('k'.repeat(256));
    expect(storedKey('k'.repeat(257))).toMatch(/^sha256-/);
  });
});
