import { LAUNCH_TAGS } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { idempotencyLabelValue, launchFilter } from './labels.js';

describe('idempotency labels', () => {
  it('keeps plain keys and stores others as a digest', () => {
    expect(idempotencyLabelValue('3f0c2a1e-7b6d-4c1a-9e3f-1a2b3c4d5e6f')).toBe(
      '3f0c2a1e-7b6d-4c1a-9e3f-1a2b3c4d5e6f',
    );
    const digest = idempotencyLabelValue('job:42');
    expect(digest).toMatch(/^sha256-[0-9a-f]{40}$/);
    expect(idempotencyLabelValue('job:42')).toBe(digest);
    expect(idempotencyLabelValue('job:43')).not.toBe(digest);
    expect(idempotencyLabelValue('k'.repeat(64))).toMatch(/^sha256-/);
  });

  it("filters instances by core's idempotency-key tag, with the key as the label stores it", () => {
    expect(launchFilter('k1')).toBe(`${LAUNCH_TAGS.idempotencyKey}=k1`);
    expect(launchFilter('job:42')).toBe(`${LAUNCH_TAGS.idempotencyKey}=${idempotencyLabelValue('job:42')}`);
  });
});
