import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { checkSameLaunch, launchNames } from './launch-request.js';

describe('launchNames', () => {
  it('keeps the name for one VM and suffixes -1, -2, ... for more', () => {
    expect(launchNames({ name: 'web' })).toEqual(['web']);
    expect(launchNames({ name: 'web', count: 1 })).toEqual(['web']);
    expect(launchNames({ name: 'web', count: 3 })).toEqual(['web-1', 'web-2', 'web-3']);
  });
});

describe('checkSameLaunch', () => {
  it('accepts what earlier tries of the same launch created', () => {
    const found = new Map([[2, { id: 'vm-b', name: 'web-2' }]]);
    expect(() => checkSameLaunch(found, ['web-1', 'web-2'], 'key-1')).not.toThrow();
  });

  it('refuses a key that another launch used, naming the VM it created', () => {
    const found = new Map([[1, { id: 'vm-a', name: 'db' }]]);
    let error: unknown;
    try {
      checkSameLaunch(found, ['web'], 'key-1', 'server');
    } catch (caught) {
      error = caught;
    }
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toBe(
      'Idempotency key "key-1" was already used by another launch (it created server vm-a named "db"); use a new key for a new launch.',
    );
  });
});
