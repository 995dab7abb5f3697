import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedQuery, signRequest } from './signing.js';

// The signing vectors published in Exoscale's Go client, egoscale (v2/api/security_test.go,
// TestSecurityProviderExoscaleV2SignRequest): its test key, secret and expiry (2077-01-01 UTC),
// and the Authorization headers it asserts for GET https://api.exoscale.com/v2/zone.
const EGOSCALE_KEY = 'EXOxxxxxxxxxxxxxxxxxxxxxxxx';
const EGOSCALE_SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
const EGOSCALE_EXPIRES = Date.UTC(2077, 0, 1) / 1000;

describe('signRequest', () => {
  it("produces egoscale's published Authorization header for a request without query parameters", () => {
    const { authorization, signature } = signRequest(EGOSCALE_KEY, EGOSCALE_SECRET, {
      method: 'GET',
      path: '/v2/zone',
      expires: EGOSCALE_EXPIRES,
    });
    expect(authorization).toBe(
      `EXO2-HMAC-SHA256 credential=${EGOSCALE_KEY},expires=3376684800,signature=Ntbq/p0HVmA3Zg1HHY+Lq1vjFGi7HeMrrgXDS5jRNlY=`,
    );
    expect(signature).toBe('Ntbq/p0HVmA3Zg1HHY+Lq1vjFGi7HeMrrgXDS5jRNlY=');
  });

  it("produces egoscale's published Authorization header for a request with query parameters", () => {
    const { authorization } = signRequest(EGOSCALE_KEY, EGOSCALE_SECRET, {
      method: 'GET',
      path: '/v2/zone',
      query: new URLSearchParams('k1=v1&k2=v2'),
      expires: EGOSCALE_EXPIRES,
    });
    expect(authorization).toBe(
      `EXO2-HMAC-SHA256 credential=${EGOSCALE_KEY},signed-query-args=k1;k2,expires=3376684800,signature=iqOBz13+44L5j0uJclE8hmUhQQcvtCSoPEOXYK6liqY=`,
    );
  });

  it('sorts query parameters by name, whatever order the URL has them in', () => {
    const sign = (query: string) =>
      signRequest('k', 's', {
        method: 'GET',
        path: '/v2/zone',
        query: new URLSearchParams(query),
        expires: 1,
      });
    expect(sign('k2=v2&k1=v1')).toEqual(sign('k1=v1&k2=v2'));
  });

  it('signs the body and the decoded path, in the documented message layout', () => {
    const body = '{"name":"my-security-group"}';
    const { signature } = signRequest('k', 'secret', {
      method: 'post',
      path: '/v2/instance/abc%3Astart',
      body,
      expires: 1599140767,
    });
    const message = `POST /v2/instance/abc:start\n${body}\n\n\n1599140767`;
    expect(signature).toBe(createHmac('sha256', 'secret').update(message).digest('base64'));
  });
});

describe('signedQuery', () => {
  it('signs single-valued parameters only, as egoscale does', () => {
    expect(signedQuery(new URLSearchParams('b=2&a=1&m=x&m=y&e='))).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['e', ''],
    ]);
    expect(signedQuery(undefined)).toEqual([]);
  });

  it('signs decoded values', () => {
    expect(signedQuery(new URLSearchParams('labels=role%3Dweb+tier%3Dfront'))).toEqual([
      ['labels', 'role=web tier=front'],
    ]);
  });
});
