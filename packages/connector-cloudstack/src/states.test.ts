import { mapState, VM_STATES } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { CLOUDSTACK_NATIVE_STATES, CLOUDSTACK_STATES } from './states.js';

describe('CloudStack state table', () => {
  it.each([
    ['Starting', 'pending'],
    ['Running', 'running'],
    ['Migrating', 'running'],
    ['Stopping', 'stopping'],
    ['Stopped', 'stopped'],
    ['Destroyed', 'terminating'],
    ['Expunging', 'terminating'],
    ['Error', 'error'],
    ['Unknown', 'unknown'],
    ['Shutdown', 'unknown'],
  ])('maps %s to %s', (native, normalized) => {
    expect(mapState(CLOUDSTACK_STATES, native)).toBe(normalized);
  });

  it('maps every native state, only to normalized states', () => {
    expect(Object.keys(CLOUDSTACK_STATES).sort()).toEqual([...CLOUDSTACK_NATIVE_STATES].sort());
    for (const state of Object.values(CLOUDSTACK_STATES)) expect(VM_STATES).toContain(state);
  });

  it('answers unknown for a state it does not know, and matches case-insensitively', () => {
    expect(mapState(CLOUDSTACK_STATES, 'Hibernating')).toBe('unknown');
    expect(mapState(CLOUDSTACK_STATES, 'running')).toBe('running');
  });
});
