import { mapState, VM_STATES } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { NOVA_STATUSES, OPENSTACK_STATES, serverState } from './states.js';

describe('OpenStack states', () => {
  it('maps the statuses as the README state table has them', () => {
    expect(serverState('BUILD', 'spawning')).toEqual({ state: 'pending', rawState: 'BUILD' });
    expect(serverState('ACTIVE', null)).toEqual({ state: 'running', rawState: 'ACTIVE' });
    for (const status of ['SHUTOFF', 'SUSPENDED', 'PAUSED', 'SHELVED', 'SHELVED_OFFLOADED']) {
      expect(serverState(status, null).state).toBe('stopped');
    }
    expect(serverState('ERROR', null).state).toBe('error');
    expect(serverState('DELETED', null).state).toBe('terminated');
    expect(serverState('SOFT_DELETED', null).state).toBe('terminated');
  });

  it('lets the deleting and powering-off task states decide, keeping both in the raw state', () => {
    expect(serverState('ACTIVE', 'deleting')).toEqual({ state: 'terminating', rawState: 'ACTIVE/deleting' });
    expect(serverState('SHUTOFF', 'deleting').state).toBe('terminating');
    expect(serverState('ACTIVE', 'powering-off')).toEqual({
      state: 'stopping',
      rawState: 'ACTIVE/powering-off',
    });
    // Other task states do not override the status.
    expect(serverState('SHUTOFF', 'powering-on')).toEqual({ state: 'stopped', rawState: 'SHUTOFF' });
  });

  it('maps anything else to unknown, keeping the raw state, and never throws', () => {
    expect(serverState('REBOOT', 'rebooting')).toEqual({ state: 'unknown', rawState: 'REBOOT' });
    expect(serverState('SOMETHING_NEW', null)).toEqual({ state: 'unknown', rawState: 'SOMETHING_NEW' });
    expect(serverState(undefined, undefined)).toEqual({ state: 'unknown', rawState: '' });
    expect(serverState(42, {})).toEqual({ state: 'unknown', rawState: '' });
    expect(serverState('active', null).state).toBe('running');
  });

  it('has a table entry for every Nova status and only normalized states', () => {
    for (const status of NOVA_STATUSES) expect(Object.hasOwn(OPENSTACK_STATES, status)).toBe(true);
    for (const state of Object.values(OPENSTACK_STATES)) expect(VM_STATES).toContain(state);
    expect(mapState(OPENSTACK_STATES, 'deleting')).toBe('terminating');
    expect(mapState(OPENSTACK_STATES, 'powering-off')).toBe('stopping');
  });
});
