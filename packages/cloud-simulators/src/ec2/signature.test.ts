import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalRequest,
  expectedSignature,
  IncompleteSignature,
  parseAuthorizationHeader,
  parsePresignedQuery,
  type SignableRequest,
  sha256Hex,
  signRequest,
} from './signature.js';

/**
 * AWS's Signature Version 4 test suite (the "aws-sig-v4-test-suite" published with the AWS General
 * Reference, e.g. as kept in bazelbuild/bazel third_party/aws-sig-v4-test-suite): each request
 * exactly as the suite's .sreq file sends it, and the Authorization header AWS computed for it
 * with the suite's example credentials, region and service.
 */
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const HOST: [string, string] = ['Host', 'example.amazonaws.com'];
const DATE: [string, string] = ['X-Amz-Date', '20150830T123600Z'];
const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

interface Vector {
  readonly name: string;
  readonly request: SignableRequest;
  readonly authorization: string;
}

const auth = (signedHeaders: string, signature: string): string =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`;

const get = (
  path: string,
  query: string,
  headers: Array<[string, string]> = [HOST, DATE],
): SignableRequest => ({
  method: 'GET',
  path,
  query,
  headers,
  body: '',
});

const VECTORS: readonly Vector[] = [
  {
    name: 'get-vanilla',
    request: get('/', ''),
    authorization: auth(
      'host;x-amz-date',
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ),
  },
  {
    name: 'post-vanilla',
    request: { method: 'POST', path: '/', query: '', headers: [HOST, DATE], body: '' },
    authorization: auth(
      'host;x-amz-date',
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    ),
  },
  {
    name: 'get-vanilla-query-order-key-case',
    request: get('/', 'Param2=value2&Param1=value1'),
    authorization: auth(
      'host;x-amz-date',
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ),
  },
  {
    name: 'get-vanilla-query-order-value',
    request: get('/', 'Param1=value2&Param1=value1'),
    authorization: auth(
      'host;x-amz-date',
      '5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694',
    ),
  },
  {
    name: 'get-vanilla-query-unreserved',
    request: get(
      '/',
      '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    ),
    authorization: auth(
      'host;x-amz-date',
      '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
    ),
  },
  {
    name: 'get-vanilla-utf8-query',
    // The suite's request line has the raw character; on the wire it arrives percent-encoded.
    request: get('/', '%E1%88%B4=bar'),
    authorization: auth(
      'host;x-amz-date',
      '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
    ),
  },
  {
    name: 'get-header-value-trim',
    request: get('/', '', [HOST, ['My-Header1', ' value1'], ['My-Header2', ' "a   b   c"'], DATE]),
    authorization: auth(
      'host;my-header1;my-header2;x-amz-date',
      'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
    ),
  },
  {
    name: 'get-header-key-duplicate',
    request: get('/', '', [
      HOST,
      ['My-Header1', 'value2'],
      ['My-Header1', 'value2'],
      ['My-Header1', 'value1'],
      DATE,
    ]),
    authorization: auth(
      'host;my-header1;x-amz-date',
      'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
    ),
  },
  {
    name: 'get-header-value-order',
    request: get('/', '', [
      HOST,
      ['My-Header1', 'value4'],
      ['My-Header1', 'value1'],
      ['My-Header1', 'value3'],
      ['My-Header1', 'value2'],
      DATE,
    ]),
    authorization: auth(
      'host;my-header1;x-amz-date',
      '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
    ),
  },
  {
    name: 'post-x-www-form-urlencoded',
    request: {
      method: 'POST',
      path: '/',
      query: '',
      headers: [['Content-Type', 'application/x-www-form-urlencoded'], HOST, DATE],
      body: 'Param1=value1',
    },
    authorization: auth(
      'content-type;host;x-amz-date',
      'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    ),
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    request: {
      method: 'POST',
      path: '/',
      query: '',
      headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf8'], HOST, DATE],
      body: 'Param1=value1',
    },
    authorization: auth(
      'content-type;host;x-amz-date',
      '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
    ),
  },
  {
    name: 'post-sts-header-before',
    request: {
      method: 'POST',
      path: '/',
      query: '',
      headers: [HOST, DATE, ['X-Amz-Security-Token', TOKEN]],
      body: '',
    },
    authorization: auth(
      'host;x-amz-date;x-amz-security-token',
      '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
    ),
  },
];

describe('Signature Version 4 against the AWS test suite', () => {
  for (const vector of VECTORS) {
    it(`verifies ${vector.name}`, () => {
      const parts = parseAuthorizationHeader(vector.authorization);
      const computed = expectedSignature(vector.request, parts, SECRET, '20150830T123600Z');
      expect(computed.signature).toBe(parts.signature);
      // And signs it the same way from scratch.
      expect(
        signRequest(
          vector.request,
          { key: 'AKIDEXAMPLE', secret: SECRET },
          { region: 'us-east-1', service: 'service', amzDate: '20150830T123600Z' },
          parts.signedHeaders,
        ),
      ).toBe(vector.authorization);
    });
  }

  it('builds the canonical request of get-vanilla-query-order-value as the suite does', () => {
    const vector = VECTORS.find((v) => v.name === 'get-vanilla-query-order-value') as Vector;
    expect(canonicalRequest(vector.request, ['host', 'x-amz-date'], sha256Hex(''))).toBe(
      [
        'GET',
        '/',
        'Param1=value1&Param1=value2',
        'host:example.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'host;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
  });

  it('refuses any change to what the signature covers', () => {
    const vector = VECTORS.find((v) => v.name === 'post-x-www-form-urlencoded') as Vector;
    const parts = parseAuthorizationHeader(vector.authorization);
    const changes: SignableRequest[] = [
      { ...vector.request, body: 'Param1=value2' },
      { ...vector.request, method: 'PUT' },
      { ...vector.request, path: '/other' },
      { ...vector.request, query: 'Param1=value1' },
      { ...vector.request, headers: [['Content-Type', 'text/plain'], HOST, DATE] },
    ];
    for (const changed of changes) {
      expect(expectedSignature(changed, parts, SECRET, '20150830T123600Z').signature).not.toBe(
        parts.signature,
      );
    }
    expect(expectedSignature(vector.request, parts, `${SECRET}x`, '20150830T123600Z').signature).not.toBe(
      parts.signature,
    );
  });
});

describe('canonicalQuery', () => {
  it('re-encodes as RFC 3986 whatever encoding the client used, and sorts by name then value', () => {
    expect(canonicalQuery('b=2&a=%7E&a=1&c=x%20y&d')).toBe('a=1&a=~&b=2&c=x%20y&d=');
    expect(canonicalQuery('X-Amz-Signature=abc&a=1', ['X-Amz-Signature'])).toBe('a=1');
  });
});

describe('parseAuthorizationHeader', () => {
  it('reads the credential scope, signed headers and signature', () => {
    expect(parseAuthorizationHeader(VECTORS[0]?.authorization as string)).toMatchObject({
      accessKey: 'AKIDEXAMPLE',
      scopeDate: '20150830',
      region: 'us-east-1',
      service: 'service',
      terminator: 'aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
    });
  });

  it("refuses headers that lack a part, with AWS's IncompleteSignature wording", () => {
    expect(() =>
      parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/ec2/aws4_request'),
    ).toThrow(/requires 'SignedHeaders' parameter\. Authorization header requires 'Signature' parameter/);
    expect(() => parseAuthorizationHeader('AWS4-HMAC-SHA512 Credential=x')).toThrow(IncompleteSignature);
    expect(() =>
      parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=A/20150830, SignedHeaders=host, Signature=00'),
    ).toThrow(IncompleteSignature);
  });
});

describe('parsePresignedQuery', () => {
  it('reads X-Amz-* parameters, and ignores a query without them', () => {
    const params = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKID/20150830/us-east-1/ec2/aws4_request',
      'X-Amz-Date': '20150830T123600Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': 'ab',
    });
    expect(parsePresignedQuery(params)).toMatchObject({
      accessKey: 'AKID',
      expiresSeconds: 60,
      source: 'query',
    });
    expect(parsePresignedQuery(new URLSearchParams('Action=DescribeInstances'))).toBeUndefined();
    params.delete('X-Amz-Credential');
    expect(() => parsePresignedQuery(params)).toThrow(/X-Amz-Credential/);
  });
});
