import { mapState } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { AWS_NATIVE_STATES, AWS_STATES } from './states.js';

describe('AWS_STATES', () => {
  it('maps every EC2 instance state to the normalized one: shutting-down is terminating', () => {
    expect(Object.keys(AWS_STATES).sort()).toEqual([...AWS_NATIVE_STATES].sort());
    expect(mapState(AWS_STATES, 'pending')).toBe('pending');
    expect(mapState(AWS_STATES, 'running')).toBe('running');
    expect(mapState(AWS_STATES, 'stopping')).toBe('stopping');
    expect(mapState(AWS_STATES, 'stopped')).toBe('stopped');
    expect(mapState(AWS_STATES, 'shutting-down')).toBe('terminating');
    expect(mapState(AWS_STATES, 'terminated')).toBe('terminated');
  });

  it('reads a state EC2 might add later as unknown', () => {
    expect(mapState(AWS_STATES, 'hibernating')).toBe('unknown');
  });
});
