import { VM_STATES } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import {
  nativeState,
  OPENNEBULA_LCM_STATES,
  OPENNEBULA_STATES,
  OPENNEBULA_VM_STATES,
  toVmState,
} from './states.js';

describe('OpenNebula states', () => {
  it('shows the LCM state when ACTIVE and the VM state otherwise', () => {
    expect(nativeState(3, 3)).toBe('RUNNING');
    expect(nativeState(3, 18)).toBe('SHUTDOWN_POWEROFF');
    expect(nativeState(8, 0)).toBe('POWEROFF');
    expect(nativeState(6, 0)).toBe('DONE');
  });

  it('names numbers no version uses instead of guessing', () => {
    expect(nativeState(3, 99)).toBe('ACTIVE_99');
    expect(nativeState(3, 13)).toBe('ACTIVE_13');
    expect(nativeState(42, 0)).toBe('STATE_42');
    expect(toVmState('ACTIVE_99')).toBe('unknown');
  });

  it.each([
    ['PENDING', 1, 0, 'pending'],
    ['HOLD', 2, 0, 'pending'],
    ['PROLOG', 3, 1, 'pending'],
    ['BOOT', 3, 2, 'pending'],
    ['RUNNING', 3, 3, 'running'],
    ['SHUTDOWN_POWEROFF', 3, 18, 'stopping'],
    ['POWEROFF', 8, 0, 'stopped'],
    ['STOPPED', 4, 0, 'stopped'],
    ['SUSPENDED', 5, 0, 'stopped'],
    ['UNDEPLOYED', 9, 0, 'stopped'],
    ['SHUTDOWN', 3, 12, 'terminating'],
    ['EPILOG', 3, 11, 'terminating'],
    ['CLEANUP_DELETE', 3, 23, 'terminating'],
    ['DONE', 6, 0, 'terminated'],
    ['BOOT_FAILURE', 3, 36, 'error'],
    ['PROLOG_FAILURE', 3, 39, 'error'],
    ['FAILED', 7, 0, 'error'],
    ['UNKNOWN', 3, 16, 'unknown'],
  ])('maps %s (STATE %i, LCM_STATE %i) to %s', (name, state, lcm, expected) => {
    expect(nativeState(state, lcm)).toBe(name);
    expect(toVmState(name)).toBe(expected);
  });

  it('maps every *_FAILURE LCM state to error', () => {
    const failures = OPENNEBULA_LCM_STATES.filter((name) => name?.endsWith('_FAILURE'));
    expect(failures.length).toBeGreaterThan(10);
    for (const name of failures) expect(toVmState(name as string)).toBe('error');
  });

  it('maps only known names, each to a contract state', () => {
    const names = new Set([...OPENNEBULA_VM_STATES, ...OPENNEBULA_LCM_STATES]);
    for (const [name, state] of Object.entries(OPENNEBULA_STATES)) {
      expect(names.has(name), name).toBe(true);
      expect(VM_STATES).toContain(state);
    }
  });
});
