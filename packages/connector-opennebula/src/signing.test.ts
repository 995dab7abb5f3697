import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { identityOf, sessionString } from './signing.js';

describe('the session string', () => {
  // OpenNebula's API reference: "session: the session string, of the form username:password",
  // e.g. the default administrator's oneadmin:opennebula.
  it('is username:password, as the API reference documents it', () => {
    expect(sessionString(identityOf({ username: 'oneadmin', password: 'opennebula' }))).toBe(
      'oneadmin:opennebula',
    );
  });

  it('keeps colons in the password: oned splits at the first one', () => {
    expect(sessionString(identityOf({ username: 'alice', password: 'a:b:c' }))).toBe('alice:a:b:c');
  });

  it.each([
    [{ username: '', password: 'x' }, 'Credential "username" is empty'],
    [{ username: 'al:ice', password: 'x' }, 'contains a colon'],
    [{ username: 'alice', password: '' }, 'Credential "password" is empty'],
  ])('refuses %o as CREDENTIALS_INVALID', (credentials, message) => {
    let caught: unknown;
    try {
      identityOf(credentials);
    } catch (error) {
      caught = error;
    }
    expect(ConnectorError.is(caught) && caught.code).toBe('CREDENTIALS_INVALID');
    expect((caught as Error).message).toContain(message);
  });
});
