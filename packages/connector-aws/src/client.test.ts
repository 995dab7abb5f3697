import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError, createHttpTransport, type HttpTransport } from '@slipstream/connector-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// The first session imports the AWS SDK (about a second alone, many on a loaded machine).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

import { AwsClient } from './client.js';
import { settingsFrom } from './parameters.js';

// The SDK's requests through core's transport, against a bare HTTP server that answers as EC2
// does: what reaches the wire, who retries, and what an error answer becomes.

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const ZONES = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>req-1</requestId>
  <availabilityZoneInfo>
    <item><zoneName>us-east-1a</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName></item>
  </availabilityZoneInfo>
</DescribeAvailabilityZonesResponse>`;

const errorXml = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-err</RequestID></Response>`;

let server: Server;
let url: string;
let received: Received[] = [];
let answers: { status: number; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      const answer = answers.shift() ?? { status: 200, body: ZONES };
      response.writeHead(answer.status, { 'content-type': 'text/xml;charset=UTF-8' });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let transport: HttpTransport;
afterEach(async () => {
  received = [];
  answers = [];
  await transport?.close();
});

async function client(retries: number): Promise<AwsClient> {
  transport = createHttpTransport({ retries, backoffBaseMs: 1, backoffMaxMs: 2 });
  return AwsClient.open(
    transport,
    settingsFrom({ region: 'us-east-1', endpoint: url, 'image.owners': 'self' }),
    {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
    },
  );
}

const zones = (api: AwsClient) =>
  api.call('DescribeAvailabilityZones', (sdk, ec2) => ec2.send(new sdk.DescribeAvailabilityZonesCommand({})));

describe('AwsClient', () => {
  it("sends the SDK's signed Query request through the transport and reads the answer", async () => {
    const api = await client(0);
    const answer = await zones(api);
    expect(answer.AvailabilityZones?.[0]?.ZoneName).toBe('us-east-1a');
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.body).toContain('Action=DescribeAvailabilityZones');
    expect(request?.body).toContain('Version=2016-11-15');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/ec2\/aws4_request/,
    );
    expect(request?.headers['x-amz-security-token']).toBe(TOKEN);
  });

  it('leaves retries to the transport: throttling retried there, the SDK sending each attempt once', async () => {
    const api = await client(3);
    answers = [
      { status: 503, body: errorXml('RequestLimitExceeded', 'Request limit exceeded.') },
      { status: 503, body: errorXml('RequestLimitExceeded', 'Request limit exceeded.') },
    ];
    const answer = await zones(api);
    expect(answer.AvailabilityZones).toHaveLength(1);
    expect(received).toHaveLength(3);
  });

  it('turns an error answer into the mapped ConnectorError, after exactly one request when retries are off', async () => {
    const api = await client(0);
    answers = [{ status: 503, body: errorXml('RequestLimitExceeded', 'Request limit exceeded.') }];
    const error = await zones(api).catch((caught: unknown) => caught);
    expect(ConnectorError.is(error)).toBe(true);
    expect((error as ConnectorError).code).toBe('RATE_LIMITED');
    expect((error as ConnectorError).message).toContain(
      'EC2 DescribeAvailabilityZones answered 503 RequestLimitExceeded',
    );
    expect(received).toHaveLength(1);
  });

  it('never shows the secret, the session token or the signature in an error, even when EC2 quotes them', async () => {
    const api = await client(0);
    const signature = 'x'.repeat(64);
    answers = [{ status: 403, body: errorXml('SignatureDoesNotMatch', `${SECRET} ${TOKEN} ${signature}`) }];
    const error = (await zones(api).catch((caught: unknown) => caught)) as ConnectorError;
    const sent = /Signature=([0-9a-f]{64})/.exec(String(received[0]?.headers.authorization))?.[1] ?? 'none';
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(sent);
  });

  it('reports an answer the SDK cannot read as CLOUD_ERROR without quoting it', async () => {
    const api = await client(0);
    answers = [
      { status: 200, body: `<DescribeAvailabilityZonesResponse><availabilityZoneInfo><item>${SECRET}` },
    ];
    const error = (await zones(api).catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).not.toContain(SECRET);
  });

  it('follows NextToken to the last page and refuses a token that comes back', async () => {
    const api = await client(0);
    const pages = await api.all('Pages', async (_sdk, _ec2, token) => {
      const next = token === undefined ? 'a' : token === 'a' ? 'b' : undefined;
      return { items: [token ?? 'first'], next };
    });
    expect(pages).toEqual(['first', 'a', 'b']);
    const looping = api.all('Loop', async () => ({ items: [1], next: 'same' }));
    await expect(looping).rejects.toMatchObject({ code: 'CLOUD_ERROR' });
  });
});
