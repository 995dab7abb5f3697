import { mapState } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { EXOSCALE_NATIVE_STATES, EXOSCALE_STATES } from './states.js';

describe('EXOSCALE_STATES', () => {
  it('maps every state of the API v2 instance-state enum as DESIGN.md §3 says', () => {
    expect(Object.keys(EXOSCALE_STATES).sort()).toEqual([...EXOSCALE_NATIVE_STATES].sort());
    expect(EXOSCALE_STATES).toEqual({
      starting: 'pending',
      running: 'running',
      migrating: 'running',
      stopping: 'stopping',
      stopped: 'stopped',
      destroying: 'terminating',
      expunging: 'terminating',
      destroyed: 'terminated',
      error: 'error',
    });
  });

  it('reads states through mapState: case-insensitive, unknown for anything new', () => {
    expect(mapState(EXOSCALE_STATES, 'Running')).toBe('running');
    expect(mapState(EXOSCALE_STATES, 'rescuing')).toBe('unknown');
  });
});
