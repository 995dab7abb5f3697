import { describe, expect, it } from 'vitest';
import { toVmState, VCLOUD_STATES, VCLOUD_STATUS_CODES } from './states.js';

describe('vCloud states', () => {
  it.each([
    ['POWERED_ON', false, 'running'],
    ['POWERED_OFF', false, 'stopped'],
    ['SUSPENDED', false, 'stopped'],
    ['RESOLVED', false, 'stopped'],
    ['UNRESOLVED', false, 'pending'],
    ['POWERED_OFF', true, 'pending'],
    ['FAILED_CREATION', false, 'error'],
    ['FAILED_CREATION', true, 'error'],
    ['MIXED', false, 'unknown'],
    ['SOMETHING_NEW', false, 'unknown'],
  ])('maps %s (a task running: %s) to %s', (status, busy, state) => {
    expect(toVmState(status, busy)).toBe(state);
  });

  it('names the status numbers of vApp and VM documents as the records do', () => {
    expect(VCLOUD_STATUS_CODES[4]).toBe('POWERED_ON');
    expect(VCLOUD_STATUS_CODES[8]).toBe('POWERED_OFF');
    expect(VCLOUD_STATUS_CODES[0]).toBe('UNRESOLVED');
    expect(VCLOUD_STATUS_CODES[-1]).toBe('FAILED_CREATION');
    for (const name of Object.keys(VCLOUD_STATES).filter((name) => name !== 'DELETED')) {
      expect(Object.values(VCLOUD_STATUS_CODES)).toContain(name);
    }
  });
});
