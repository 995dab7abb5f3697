import { describe, expect, it } from 'vitest';
import {
  decodedPath,
  exoscaleSignature,
  parseAuthorization,
  sameSignature,
  signablePaths,
  signedQueryValues,
} from './signature.js';

// The vectors of egoscale's own signer tests (exoscale/egoscale, v2/api/security_test.go):
// key, secret and expiry as published there, and the signatures they assert.
const EGOSCALE_SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
const EGOSCALE_EXPIRES = Date.UTC(2077, 0, 1) / 1000;

describe('exoscaleSignature', () => {
  it("matches egoscale's published signature of a request without query parameters", () => {
    const signature = exoscaleSignature(EGOSCALE_SECRET, {
      method: 'GET',
      path: '/v2/zone',
      body: '',
      queryValues: '',
      expires: EGOSCALE_EXPIRES,
    });
    expect(signature).toBe('Ntbq/p0HVmA3Zg1HHY+Lq1vjFGi7HeMrrgXDS5jRNlY=');
  });

  it("matches egoscale's published signature of a request with signed query parameters", () => {
    const signature = exoscaleSignature(EGOSCALE_SECRET, {
      method: 'GET',
      path: '/v2/zone',
      body: '',
      queryValues: 'v1v2',
      expires: EGOSCALE_EXPIRES,
    });
    expect(signature).toBe('iqOBz13+44L5j0uJclE8hmUhQQcvtCSoPEOXYK6liqY=');
  });

  it('covers the body, the method and the path', () => {
    const base = { method: 'POST', path: '/v2/instance', body: '{}', queryValues: '', expires: 1 };
    const reference = exoscaleSignature('s', base);
    expect(exoscaleSignature('s', { ...base, body: '{ }' })).not.toBe(reference);
    expect(exoscaleSignature('s', { ...base, method: 'PUT' })).not.toBe(reference);
    expect(exoscaleSignature('s', { ...base, path: '/v2/instance/' })).not.toBe(reference);
    expect(exoscaleSignature('t', base)).not.toBe(reference);
  });
});

describe('parseAuthorization', () => {
  it('reads the pragmas of an egoscale header', () => {
    expect(
      parseAuthorization(
        'EXO2-HMAC-SHA256 credential=EXOabc,signed-query-args=k1;k2,expires=3376684800,signature=iqOBz13+44L5j0uJclE8hmUhQQcvtCSoPEOXYK6liqY=',
      ),
    ).toEqual({
      credential: 'EXOabc',
      signedQueryArgs: ['k1', 'k2'],
      expires: 3376684800,
      signature: 'iqOBz13+44L5j0uJclE8hmUhQQcvtCSoPEOXYK6liqY=',
    });
  });

  it('says what is wrong with a missing or malformed header', () => {
    expect(parseAuthorization(undefined)).toBe('Missing Authorization header');
    expect(parseAuthorization('Bearer abc')).toMatch(/scheme/);
    expect(parseAuthorization('EXO2-HMAC-SHA256 credential=EXOabc,expires=1')).toMatch(
      /signature are required/,
    );
    expect(parseAuthorization('EXO2-HMAC-SHA256 credential=a,expires=soon,signature=x')).toMatch(/Unix/);
    expect(parseAuthorization('EXO2-HMAC-SHA256 credential')).toMatch(/Malformed/);
  });
});

describe('signedQueryValues', () => {
  it('concatenates the values in the order the header names them', () => {
    const query = new URLSearchParams('b=2&a=1');
    expect(signedQueryValues(query, ['a', 'b'])).toBe('12');
    expect(signedQueryValues(query, [])).toBe('');
  });

  it('refuses a signed parameter that is absent or repeated', () => {
    expect(signedQueryValues(new URLSearchParams('a=1'), ['a', 'b'])).toBeUndefined();
    expect(signedQueryValues(new URLSearchParams('a=1&a=2'), ['a'])).toBeUndefined();
  });
});

describe('helpers', () => {
  it('compares signatures by content', () => {
    expect(sameSignature('abc=', 'abc=')).toBe(true);
    expect(sameSignature('abc=', 'abd=')).toBe(false);
    expect(sameSignature('abc=', 'abc')).toBe(false);
  });

  it('checks the path as sent and percent-decoded, the forms egoscale v3 and v2 sign', () => {
    expect(signablePaths('/v2/instance/abc%3Astart')).toEqual([
      '/v2/instance/abc%3Astart',
      '/v2/instance/abc:start',
    ]);
    expect(signablePaths('/v2/zone')).toEqual(['/v2/zone']);
    expect(decodedPath('/v2/bad%zz')).toBe('/v2/bad%zz');
  });
});
