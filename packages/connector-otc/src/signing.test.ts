import { describe, expect, it } from 'vitest';
import {
  authorization,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  sdkDate,
  sdkEscape,
  signRequest,
} from './signing.js';

// Test vectors published in Huawei Cloud's own SDKs (AK "AccessKey", SK "SecretKey" unless noted):
// huaweicloud-sdk-go-v3 core/auth/signer/signer_test.go, huaweicloud-sdk-python-v3
// huaweicloud-sdk-core/tests/test_signer.py and huaweicloud-sdk-java-v3 TestAKSKSigner.java.
const KEYS = { accessKey: 'AccessKey', secretKey: 'SecretKey' };

describe('SDK-HMAC-SHA256 signing: Huawei Cloud SDK test vectors', () => {
  it('go-v3 test1: GET with a query, only X-Sdk-Date signed', () => {
    const parts = {
      method: 'GET',
      path: '/path',
      query: [['limit', '1']] as const,
      headers: { 'x-sdk-date': '20060102T150405Z' },
      signedHeaders: ['x-sdk-date'],
      body: '',
    };
    expect(authorization(KEYS, parts, '20060102T150405Z')).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, ' +
        'Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    );
  });

  it("go-v3 test2: POST with a JSON body (Go's encoder ends it with a newline)", () => {
    const parts = {
      method: 'POST',
      path: '/path',
      query: [['key', 'value']] as const,
      headers: { 'x-sdk-date': '20060102T150405Z' },
      signedHeaders: ['x-sdk-date'],
      body: '{"Name":"test","Id":1}\n',
    };
    expect(authorization(KEYS, parts, '20060102T150405Z')).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, ' +
        'Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
    );
  });

  it('python-v3 test_signer1: GET, host signed, the underscore header left out', () => {
    const headers = signRequest(
      {
        method: 'GET',
        url: 'https://service.endpoint.myhuaweicloud.com/resources?size=1',
        headers: { 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'TEST_VALUE' },
      },
      KEYS,
    );
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, ' +
        'Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842',
    );
    expect(headers['X-Sdk-Date']).toBe('20200608T023900Z');
  });

  it('python-v3 test_signer2: POST with a body', () => {
    const headers = signRequest(
      {
        method: 'POST',
        url: 'https://service.endpoint.myhuaweicloud.com/resources?size=1',
        headers: { 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'TEST_VALUE' },
        body: '{"name":"test","id":1}',
      },
      KEYS,
    );
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, ' +
        'Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f',
    );
  });

  it('java-v3 TestAKSKSigner: content-type, host and X-Sdk-Date signed, two query parameters', () => {
    const headers = signRequest(
      {
        method: 'GET',
        url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
        headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': '20191115T033655Z' },
      },
      { accessKey: 'QTWAOYTTINDUT2QVKYUC', secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' },
    );
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, ' +
        'Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    );
  });

  it('go-v3 / python-v3 canonical query string: sorted, multi-valued, escaped', () => {
    const query = [
      ['limit', '1'],
      ['enable', 'true'],
      ['test', '一 (&=?!#%.*)'],
      ['path', '/tmp/123'],
      ['multi', '3'],
      ['multi', '1'],
      ['multi', '2'],
    ] as const;
    expect(canonicalQuery(query)).toBe(
      'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29',
    );
  });
});

describe('SDK-HMAC-SHA256 building blocks', () => {
  it('formats X-Sdk-Date as YYYYMMDDTHHMMSSZ in UTC', () => {
    expect(sdkDate(Date.UTC(2006, 0, 2, 15, 4, 5, 999))).toBe('20060102T150405Z');
  });

  it('escapes everything but unreserved characters, in uppercase hex', () => {
    expect(sdkEscape("a-Z_0.~ /:+*'é")).toBe('a-Z_0.~%20%2F%3A%2B%2A%27%C3%A9');
  });

  it('ends the canonical URI with a slash and treats %3A and : alike', () => {
    expect(canonicalUri('/v2.1/p/servers')).toBe('/v2.1/p/servers/');
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('/a:b')).toBe(canonicalUri('/a%3ab'));
    expect(canonicalUri('/100%')).toBe('/100%25/');
  });

  it('lays out the canonical request as six lines with sorted signed headers', () => {
    const text = canonicalRequest({
      method: 'get',
      path: '/x',
      query: [],
      headers: { host: 'h', 'x-sdk-date': 'd', 'content-type': ' application/json ' },
      signedHeaders: ['x-sdk-date', 'host', 'content-type'],
      body: '',
    });
    expect(text).toBe(
      'GET\n/x/\n\ncontent-type:application/json\nhost:h\nx-sdk-date:d\n\ncontent-type;host;x-sdk-date\n' +
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('adds X-Sdk-Date from the clock and signs the port-qualified host', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    const request = {
      method: 'GET',
      url: 'http://127.0.0.1:8080/v2/images',
      headers: { 'X-Project-Id': 'p1' },
    };
    const headers = signRequest(request, KEYS, now);
    expect(headers['X-Sdk-Date']).toBe('20260101T000000Z');
    expect(headers['X-Project-Id']).toBe('p1');
    expect(headers.Authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
    const other = signRequest({ ...request, url: 'http://127.0.0.1:8081/v2/images' }, KEYS, now);
    expect(other.Authorization).not.toBe(headers.Authorization);
  });

  it('replaces a malformed X-Sdk-Date instead of signing it', () => {
    const headers = signRequest(
      { method: 'GET', url: 'https://h/', headers: { 'x-sdk-date': 'yesterday' } },
      KEYS,
      Date.UTC(2026, 0, 1),
    );
    expect(headers['X-Sdk-Date']).toBe('20260101T000000Z');
    expect(headers).not.toHaveProperty('x-sdk-date');
  });

  it('never puts the secret key in the headers', () => {
    const headers = signRequest({ method: 'GET', url: 'https://h/' }, KEYS);
    expect(JSON.stringify(headers)).not.toContain(KEYS.secretKey);
  });
});
