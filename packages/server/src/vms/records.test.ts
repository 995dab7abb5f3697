import { describe, expect, it } from 'vitest';
import { connectorKey } from './records.js';

const record = { ownerId: 'owner-1', instance: 'local', idempotencyKey: 'build-1' };

describe('connectorKey', () => {
  it('is stable for a record, and differs per owner, instance and key', () => {
    expect(connectorKey(record)).toBe(connectorKey({ ...record }));
    const others = [
      connectorKey({ ...record, ownerId: 'owner-2' }),
      connectorKey({ ...record, instance: 'lab2' }),
      connectorKey({ ...record, idempotencyKey: 'build-2' }),
    ];
    expect(new Set([connectorKey(record), ...others]).size).toBe(4);
    expect(connectorKey(record).startsWith('build-1.')).toBe(true);
  });

  it('stays within core idempotency key rules for the longest caller key', () => {
    const longest = connectorKey({ ...record, idempotencyKey: 'k'.repeat(128) });
    expect(longest).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    // Two long keys that share their readable prefix still differ.
    expect(longest).not.toBe(connectorKey({ ...record, idempotencyKey: `${'k'.repeat(127)}j` }));
  });
});
