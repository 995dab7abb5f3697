import { LAUNCH_TAGS, launchIndexOf } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { launchMetadata } from './metadata.js';

describe('launch metadata', () => {
  it("adds core's launch tags to the user's tags, which core reads back", () => {
    const metadata = launchMetadata('key-1', 2, { env: 'prod' });
    expect(metadata).toEqual({
      env: 'prod',
      [LAUNCH_TAGS.idempotencyKey]: 'key-1',
      [LAUNCH_TAGS.launchIndex]: '2',
    });
    expect(launchIndexOf(metadata, 'key-1')).toBe(2);
    expect(launchIndexOf(metadata, 'key-2')).toBeUndefined();
  });

  it('refuses, all at once, tags Nova would refuse or that are reserved', () => {
    let caught: unknown;
    try {
      launchMetadata('k', 1, { [LAUNCH_TAGS.idempotencyKey]: 'x', 'a/b': 'x', long: 'v'.repeat(256) });
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
