import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import {
  IDEMPOTENCY_LABEL,
  INDEX_LABEL,
  idempotencyLabelValue,
  launchFilter,
  launchIndex,
  launchLabels,
  userTags,
} from './labels.js';

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

  it('labels each instance of a launch with the key and its index, besides the user tags', () => {
    expect(launchLabels('k1', 2, { role: 'web' })).toEqual({
      role: 'web',
      [IDEMPOTENCY_LABEL]: 'k1',
      [INDEX_LABEL]: '2',
    });
    expect(launchFilter('k1')).toBe(`${IDEMPOTENCY_LABEL}=k1`);
  });

  it('refuses tags that would overwrite the connector labels', () => {
    const error = (() => {
      try {
        launchLabels('k1', 1, { [IDEMPOTENCY_LABEL]: 'mine' });
      } catch (e) {
        return e;
      }
    })();
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toContain(`"${IDEMPOTENCY_LABEL}" is reserved`);
  });

  it('reads the launch index back, and hides the connector labels from the tags', () => {
    const labels = launchLabels('k1', 3, { role: 'db' });
    expect(launchIndex(labels)).toBe(3);
    expect(launchIndex({ [INDEX_LABEL]: 'x' })).toBeUndefined();
    expect(launchIndex({ [INDEX_LABEL]: '0' })).toBeUndefined();
    expect(launchIndex(undefined)).toBeUndefined();
    expect(userTags(labels)).toEqual({ role: 'db' });
    expect(userTags(undefined)).toEqual({});
  });
});
