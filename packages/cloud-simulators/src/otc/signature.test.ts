import { describe, expect, it } from 'vitest';
import type { SimRequest } from '../server/frontend.js';
import { expectedSignature, parseSdkAuthorization, parseSdkDate, verifySdkRequest } from './signature.js';

/** A request as the simulator's HTTP server hands it to a front-end (lowercased header names). */
function request(method: string, url: string, headers: Record<string, string>, body = ''): SimRequest {
  return { method, url: new URL(url), headers, body };
}

// Vectors published in Huawei Cloud's SDKs (huaweicloud-sdk-python-v3 tests/test_signer.py and
// huaweicloud-sdk-java-v3 TestAKSKSigner.java): the gateway must accept exactly these signatures.
const PYTHON_GET = request('GET', 'https://service.endpoint.myhuaweicloud.com/resources?size=1', {
  host: 'service.endpoint.myhuaweicloud.com',
  'x-sdk-date': '20200608T023900Z',
  authorization:
    'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842',
});
const PYTHON_TIME = Date.UTC(2020, 5, 8, 2, 39, 0);
const secretOf = (ak: string): string | undefined => (ak === 'AccessKey' ? 'SecretKey' : undefined);

describe('SDK-HMAC-SHA256 verification', () => {
  it("computes the SDKs' published signatures", () => {
    expect(expectedSignature(PYTHON_GET, ['host', 'x-sdk-date'], '20200608T023900Z', 'SecretKey')).toBe(
      'cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842',
    );
    const post = request('POST', 'https://service.endpoint.myhuaweicloud.com/resources?size=1', {
      host: 'service.endpoint.myhuaweicloud.com',
      'x-sdk-date': '20200608T023900Z',
    });
    expect(
      expectedSignature(
        { ...post, body: '{"name":"test","id":1}' },
        ['host', 'x-sdk-date'],
        '20200608T023900Z',
        'SecretKey',
      ),
    ).toBe('436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f');
    const java = request(
      'GET',
      'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
      {
        'content-type': 'application/json',
        host: 'service.region.example.com',
        'x-sdk-date': '20191115T033655Z',
      },
    );
    expect(
      expectedSignature(
        java,
        ['content-type', 'host', 'x-sdk-date'],
        '20191115T033655Z',
        'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
      ),
    ).toBe('7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe');
  });

  it('accepts a correctly signed request within the date window', () => {
    expect(verifySdkRequest(PYTHON_GET, secretOf, PYTHON_TIME + 14 * 60_000)).toEqual({
      ok: true,
      accessKey: 'AccessKey',
    });
  });

  it('refuses an X-Sdk-Date more than 15 minutes away, either way', () => {
    for (const now of [PYTHON_TIME + 16 * 60_000, PYTHON_TIME - 16 * 60_000]) {
      const verdict = verifySdkRequest(PYTHON_GET, secretOf, now);
      expect(verdict.ok).toBe(false);
      expect(!verdict.ok && verdict.message).toMatch(/signature expired, signature time:20200608T023900Z/);
    }
  });

  it('refuses a wrong secret, an unknown access key and a tampered request', () => {
    const wrong = verifySdkRequest(PYTHON_GET, () => 'OtherKey', PYTHON_TIME);
    expect(wrong).toEqual({
      ok: false,
      message: 'Incorrect IAM authentication information: verify aksk signature fail',
    });
    const unknown = verifySdkRequest(PYTHON_GET, () => undefined, PYTHON_TIME);
    expect(!unknown.ok && unknown.message).toContain('ak not exist');
    const tampered = {
      ...PYTHON_GET,
      url: new URL('https://service.endpoint.myhuaweicloud.com/resources?size=2'),
    };
    expect(verifySdkRequest(tampered, secretOf, PYTHON_TIME).ok).toBe(false);
  });

  it('refuses a missing or malformed Authorization and X-Sdk-Date', () => {
    const without = { ...PYTHON_GET, headers: { ...PYTHON_GET.headers, authorization: undefined } };
    expect(verifySdkRequest(without, secretOf, PYTHON_TIME).ok).toBe(false);
    const noDate = { ...PYTHON_GET, headers: { ...PYTHON_GET.headers, 'x-sdk-date': '2020-06-08' } };
    const verdict = verifySdkRequest(noDate, secretOf, PYTHON_TIME);
    expect(!verdict.ok && verdict.message).toContain('x-sdk-date');
    const unsignedDate = {
      ...PYTHON_GET,
      headers: {
        ...PYTHON_GET.headers,
        authorization: 'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host, Signature=00',
      },
    };
    expect(verifySdkRequest(unsignedDate, secretOf, PYTHON_TIME).ok).toBe(false);
  });

  it('parses the Authorization header and X-Sdk-Date strictly', () => {
    expect(
      parseSdkAuthorization('SDK-HMAC-SHA256 Access=A, SignedHeaders=Host;X-Sdk-Date, Signature=ab'),
    ).toEqual({ accessKey: 'A', signedHeaders: ['host', 'x-sdk-date'], signature: 'ab' });
    expect(typeof parseSdkAuthorization('Bearer x')).toBe('string');
    expect(typeof parseSdkAuthorization('SDK-HMAC-SHA256 Access=A')).toBe('string');
    expect(parseSdkDate('20200608T023900Z')).toBe(PYTHON_TIME);
    expect(parseSdkDate('20200231T000000Z')).toBeUndefined();
    expect(parseSdkDate('20201308T023900Z')).toBeUndefined();
    expect(parseSdkDate('20200608T023960Z')).toBeUndefined();
    expect(parseSdkDate('20200608T240000Z')).toBeUndefined();
    expect(parseSdkDate('20200608T023900')).toBeUndefined();
  });
});
