import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY, INDEX_KEY, launchIndex, launchMetadata, userTags } from './metadata.js';

describe('launch metadata', () => {
  it('adds the idempotency key and index to the tags, and reads them back', () => {
    const metadata = launchMetadata('key-1', 2, { env: 'prod' });
    expect(metadata).toEqual({ env: 'prod', [IDEMPOTENCY_KEY]: 'key-1', [INDEX_KEY]: '2' });
    expect(launchIndex(metadata, 'key-1')).toBe(2);
    expect(launchIndex(metadata, 'key-2')).toBeUndefined();
    expect(launchIndex({ [IDEMPOTENCY_KEY]: 'key-1', [INDEX_KEY]: 'x' }, 'key-1')).toBeUndefined();
    expect(userTags(metadata)).toEqual({ env: 'prod' });
    expect(userTags(undefined)).toEqual({});
  });

  it('refuses, all at once, tags Nova would refuse or that are reserved', () => {
    let caught: unknown;
    try {
      launchMetadata('k', 1, { [IDEMPOTENCY_KEY]: 'x', 'a/b': 'x', long: 'v'.repeat(256) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((caught as { problems: unknown[] }).problems).toHaveLength(3);
    expect((caught as Error).message).toContain('"slipstream-idempotency-key" is reserved');
    expect((caught as Error).message).toContain('tag "a/b"');
    expect((caught as Error).message).toContain('at most 255');
  });
});
