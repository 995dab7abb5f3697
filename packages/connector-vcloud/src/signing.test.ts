import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, identityOf, jsonAccept, loginAuthorization, xmlAccept } from './signing.js';

describe('vCloud Director authentication', () => {
  // RFC 7617 section 2's example: user-id "Aladdin", password "open sesame".
  it('encodes Basic credentials as RFC 7617 does', () => {
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  // RFC 7617 section 2.1's UTF-8 example: user-id "test", password "123£".
  it('encodes them as UTF-8', () => {
    expect(basicAuthorization('test', '123\u00a3')).toBe('Basic dGVzdDoxMjPCow==');
  });

  it('logs in as user@org, as vCloud Director names a user of an organization', () => {
    const identity = identityOf({ username: 'alice', password: 'pa:ss' }, 'acme');
    expect(loginAuthorization(identity)).toBe(basicAuthorization('alice@acme', 'pa:ss'));
  });

  it('names the API version in Accept', () => {
    expect(jsonAccept('38.0')).toBe('application/json;version=38.0');
    expect(xmlAccept('37.2')).toBe('application/*+xml;version=37.2');
  });

  it.each([
    [{ username: '', password: 'x' }, 'Credential "username" is empty'],
    [{ username: 'alice@acme', password: 'x' }, 'without "@acme"'],
    [{ username: 'alice', password: '' }, 'Credential "password" is empty'],
  ])('refuses %o as CREDENTIALS_INVALID', (credentials, message) => {
    let caught: unknown;
    try {
      identityOf(credentials, 'acme');
    } catch (error) {
      caught = error;
    }
    expect(ConnectorError.is(caught) && caught.code).toBe('CREDENTIALS_INVALID');
    expect((caught as Error).message).toContain(message);
  });
});
