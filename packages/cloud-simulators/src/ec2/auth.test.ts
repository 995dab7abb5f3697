import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { type RunningEc2, startEc2 } from './index.js';
import {
  expectedSignature,
  formatAmzDate,
  parsePresignedQuery,
  sha256Hex,
  signRequest,
} from './signature.js';
import { Ec2TestClient, formBody } from './test-client.js';

/** Who may call: SigV4 as AWS checks it, through the HTTP server, with AWS's own signer as the client. */

const TOKEN = 'FwoGZXIvYXdzEBYaDGV4YW1wbGUtc2Vzc2lvbi10b2tlbg==';

describe('EC2 request authentication', () => {
  let sim: RunningEc2;
  let clock: ManualClock;
  let client: Ec2TestClient;
  const temporary = { key: 'ASIAEXAMPLETEMPORARY', secret: 'temporary/secret+key', sessionToken: TOKEN };

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    sim = await startEc2({
      clock,
      accounts: [
        { key: 'AKIAEXAMPLEPERMANENT', secret: 'permanent/secret+key', accountId: '123456789012' },
        { ...temporary },
      ],
    });
    client = new Ec2TestClient(sim.url, sim.credentials, 'us-east-1', () => clock.now());
  });
  afterAll(() => sim.close());

  it('accepts requests signed by @smithy/signature-v4, POST form and GET query alike', async () => {
    expect(sim.credentials).toEqual({ key: 'AKIAEXAMPLEPERMANENT', secret: 'permanent/secret+key' });
    expect(sim.accountId).toBe('123456789012');
    const post = await client.call('DescribeInstances');
    expect(post.status).toBe(200);
    expect(post.headers.get('content-type')).toBe('text/xml;charset=UTF-8');
    const get = await client.call('DescribeAvailabilityZones', {}, { method: 'GET' });
    expect(get.status).toBe(200);
  });

  it('answers an unknown access key 401 AuthFailure with a RequestID', async () => {
    const error = await client.error(
      'DescribeInstances',
      {},
      { credentials: { key: 'AKIANOBODY', secret: 'x' } },
    );
    expect(error).toMatchObject({
      status: 401,
      code: 'AuthFailure',
      message: 'AWS was not able to validate the provided access credentials',
    });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a wrong secret 403 SignatureDoesNotMatch', async () => {
    const error = await client.error(
      'DescribeInstances',
      {},
      {
        credentials: { key: sim.credentials.key, secret: 'wrong' },
      },
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/,
    );
  });

  it('refuses a signature for another region or service', async () => {
    const region = await client.error('DescribeInstances', {}, { region: 'eu-west-1' });
    expect(region).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(region.message).toContain("not 'eu-west-1'");
  });

  it('refuses a request dated more than 15 minutes away from the server time, either way', async () => {
    const old = await client.error(
      'DescribeInstances',
      {},
      { signingDate: new Date(clock.now() - 16 * 60_000) },
    );
    expect(old).toMatchObject({ status: 400, code: 'RequestExpired' });
    const future = await client.error(
      'DescribeInstances',
      {},
      { signingDate: new Date(clock.now() + 16 * 60_000) },
    );
    expect(future).toMatchObject({ status: 400, code: 'RequestExpired' });
    const skewed = await client.call(
      'DescribeInstances',
      {},
      { signingDate: new Date(clock.now() - 4 * 60_000) },
    );
    expect(skewed.status).toBe(200);
  });

  it('requires the session token of temporary credentials, and refuses one a permanent key does not have', async () => {
    expect((await client.call('DescribeInstances', {}, { credentials: temporary })).status).toBe(200);
    const missing = await client.error(
      'DescribeInstances',
      {},
      {
        credentials: { key: temporary.key, secret: temporary.secret },
      },
    );
    expect(missing).toMatchObject({ status: 401, code: 'AuthFailure' });
    const wrong = await client.error(
      'DescribeInstances',
      {},
      { credentials: { ...temporary, sessionToken: 'other' } },
    );
    expect(wrong).toMatchObject({ status: 401, code: 'AuthFailure' });
    const extra = await client.error(
      'DescribeInstances',
      {},
      {
        credentials: { ...sim.credentials, sessionToken: TOKEN },
      },
    );
    expect(extra).toMatchObject({ status: 401, code: 'AuthFailure' });
  });

  it('refuses expired and revoked keys with AuthFailure until they are restored', async () => {
    sim.control.revokeKey(sim.credentials.key);
    expect(await client.error('DescribeInstances')).toMatchObject({ status: 401, code: 'AuthFailure' });
    sim.control.expireKey(sim.credentials.key);
    expect(await client.error('DescribeInstances')).toMatchObject({ status: 401, code: 'AuthFailure' });
    sim.control.restoreKey(sim.credentials.key);
    expect((await client.call('DescribeInstances')).status).toBe(200);
  });

  it('answers an unsigned request as EC2 does, and a header without its parts with IncompleteSignature', async () => {
    expect(await client.error('DescribeInstances', {}, { unsigned: true })).toEqual({
      status: 400,
      code: 'MissingParameter',
      message: 'The request must contain the parameter AWSAccessKeyId',
      requestId: expect.any(String),
    });
    const response = await fetch(sim.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        authorization: `AWS4-HMAC-SHA256 Credential=${sim.credentials.key}/20260301/us-east-1/ec2/aws4_request`,
        'x-amz-date': formatAmzDate(clock.now()),
      },
      body: 'Action=DescribeInstances&Version=2016-11-15',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>IncompleteSignature</Code>');
  });

  it('verifies a signature that covers x-amz-content-sha256 and a header repeated on several lines', async () => {
    const body = formBody({ Action: 'DescribeInstances', Version: '2016-11-15' });
    const host = new URL(sim.url).host;
    const amzDate = formatAmzDate(clock.now());
    const headers: Array<[string, string]> = [
      ['host', host],
      ['content-type', 'application/x-www-form-urlencoded; charset=utf-8'],
      ['x-amz-content-sha256', sha256Hex(body)],
      ['x-amz-date', amzDate],
      ['x-custom', 'a'],
      ['x-custom', 'b'],
    ];
    const authorization = signRequest(
      { method: 'POST', path: '/', query: '', headers, body },
      sim.credentials,
      { region: 'us-east-1', service: 'ec2', amzDate },
      ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-custom'],
    );
    // Sent as separate header lines, as node:http does with a flat raw-header list.
    const raw: string[] = headers.flat();
    raw.push('authorization', authorization, 'content-length', String(Buffer.byteLength(body)));
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(sim.url, { method: 'POST', headers: raw }, (incoming) => {
        incoming.resume();
        resolve(incoming.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    expect(status).toBe(200);
  });

  it('accepts a presigned GET (X-Amz-* query parameters) until it expires', async () => {
    const amzDate = formatAmzDate(clock.now());
    const url = new URL(sim.url);
    const query = {
      Action: 'DescribeAvailabilityZones',
      Version: '2016-11-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${sim.credentials.key}/${amzDate.slice(0, 8)}/us-east-1/ec2/aws4_request`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host',
    };
    const queryString = formBody(query);
    const parts = parsePresignedQuery(new URLSearchParams({ ...query, 'X-Amz-Signature': 'x' }));
    const { signature } = expectedSignature(
      { method: 'GET', path: '/', query: queryString, headers: [['host', url.host]], body: '' },
      parts as NonNullable<typeof parts>,
      sim.credentials.secret,
      amzDate,
    );
    const target = `${sim.url}/?${queryString}&X-Amz-Signature=${signature}`;
    expect((await fetch(target)).status).toBe(200);
    clock.advance(61_000);
    const expired = await fetch(target);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('<Code>RequestExpired</Code>');
  });
});
