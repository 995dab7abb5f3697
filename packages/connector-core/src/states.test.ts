import { describe, expect, it } from 'vitest';
import { mapState, type StateTable } from './states.js';

const cloudstack: StateTable = {
  Starting: 'pending',
  Running: 'running',
  Stopped: 'stopped',
  Error: 'error',
};

describe('mapState', () => {
  it('maps native states through the table, exactly or ignoring case', () => {
    expect(mapState(cloudstack, 'Running')).toBe('running');
    expect(mapState(cloudstack, 'RUNNING')).toBe('running');
    expect(mapState({ 4: 'running', '-1': 'error' }, 4)).toBe('running');
    expect(mapState({ 4: 'running', '-1': 'error' }, -1)).toBe('error');
  });

  it('maps anything the table does not know to unknown instead of throwing', () => {
    expect(mapState(cloudstack, 'Hibernating')).toBe('unknown');
    expect(mapState(cloudstack, '')).toBe('unknown');
    expect(mapState(cloudstack, null)).toBe('unknown');
    expect(mapState(cloudstack, undefined)).toBe('unknown');
    expect(mapState(cloudstack, 'constructor')).toBe('unknown');
    expect(mapState(cloudstack, '__proto__')).toBe('unknown');
  });
});
