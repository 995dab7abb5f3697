import { isVmState, mapState, VM_STATES } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { LOCAL_NATIVE_STATES, LOCAL_STATES } from './states.js';

describe('LOCAL_STATES', () => {
  it.each([
    ['PROVISIONING', 'pending'],
    ['BOOTING', 'pending'],
    ['RUNNING', 'running'],
    ['HALTING', 'stopping'],
    ['HALTED', 'stopped'],
    ['DELETING', 'terminating'],
    ['DELETED', 'terminated'],
    ['FAILED', 'error'],
  ] as const)('maps %s to %s', (native, normalized) => {
    expect(mapState(LOCAL_STATES, native)).toBe(normalized);
  });

  it('maps every native state, and only those, to a normalized state', () => {
    expect(Object.keys(LOCAL_STATES).sort()).toEqual([...LOCAL_NATIVE_STATES].sort());
    for (const state of Object.values(LOCAL_STATES)) expect(isVmState(state)).toBe(true);
  });

  it('reaches every normalized state except unknown', () => {
    const reached = new Set(Object.values(LOCAL_STATES));
    expect(VM_STATES.filter((state) => !reached.has(state))).toEqual(['unknown']);
  });

  it('maps a state it does not know to unknown instead of throwing', () => {
    expect(mapState(LOCAL_STATES, 'MIGRATING')).toBe('unknown');
    expect(mapState(LOCAL_STATES, '')).toBe('unknown');
    expect(mapState(LOCAL_STATES, undefined)).toBe('unknown');
  });
});
