import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { optionalParameter, readParameter } from './parameter-values.js';

describe('readParameter', () => {
  const parameters = { endpoint: 'https://x', 'page.size': 500, expunge: true };

  it('returns a value of the asked type', () => {
    expect(readParameter(parameters, 'endpoint', 'string')).toBe('https://x');
    expect(readParameter(parameters, 'page.size', 'number')).toBe(500);
    expect(readParameter(parameters, 'expunge', 'boolean')).toBe(true);
  });

  it('refuses a missing or mistyped value with CONFIG_INVALID naming the key and the fix', () => {
    for (const [key, type] of [
      ['zone', 'string'],
      ['endpoint', 'number'],
    ] as const) {
      let error: unknown;
      try {
        readParameter(parameters, key, type);
      } catch (caught) {
        error = caught;
      }
      expect(ConnectorError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain(`Parameter "${key}" is missing or not a ${type}`);
      expect((error as Error).message).toContain('createInstance');
    }
  });
});

describe('optionalParameter', () => {
  it('trims, and treats blank and absent alike', () => {
    expect(optionalParameter({ zone: '  Zone-A ' }, 'zone')).toBe('Zone-A');
    expect(optionalParameter({ zone: '   ' }, 'zone')).toBeUndefined();
    expect(optionalParameter({}, 'zone')).toBeUndefined();
    expect(optionalParameter({ zone: 3 }, 'zone')).toBeUndefined();
  });
});
