import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTransport, type HttpTransport } from '@slipstream/connector-core';
import { captureLogs, findSecretLeaks } from '@slipstream/connector-testkit';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenNebulaClient } from './client.js';
import { failure } from './testing/context.js';

// The client against a bare HTTP server answering what each test sets: what oned, a proxy in
// front of it, or a broken network can answer. The password and session string must never show.

const identity = { username: 'alice', password: 'pa:ss&<word>-0123456789' };
const session = `${identity.username}:${identity.password}`;

let server: Server;
let url: string;
let answer: { status: number; type: string; body: string } = { status: 200, type: 'text/xml', body: '' };
const received: string[] = [];
const transports: HttpTransport[] = [];

const success = (value: string) =>
  `<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><boolean>1</boolean></value>${value}<value><i4>0</i4></value></data></array></value></param></params></methodResponse>`;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(body);
      response.writeHead(answer.status, { 'content-type': answer.type });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2`;
});

afterAll(async () => {
  await Promise.all(transports.map((http) => http.close()));
  await new Promise((resolve) => server.close(resolve));
});

function clientWithLogs() {
  const { logger, entries } = captureLogs();
  const http = createHttpTransport({ retries: 0, onDebug: (event) => logger.debug({ event }, 'http') });
  transports.push(http);
  return { client: new OpenNebulaClient(http, url, identity), entries };
}

describe('the OpenNebula client', () => {
  it('sends the session string as the first parameter of a methodCall', async () => {
    answer = {
      status: 200,
      type: 'text/xml',
      body: success('<value><string>&lt;USER/&gt;</string></value>'),
    };
    const { client } = clientWithLogs();
    await expect(client.document('one.user.info', [-1])).resolves.toBe('<USER/>');
    const call = new XMLParser({ parseTagValue: false }).parse(received.at(-1) as string).methodCall;
    expect(call.methodName).toBe('one.user.info');
    expect(call.params.param.map((param: { value: unknown }) => param.value)).toEqual([
      { string: session },
      { int: '-1' },
    ]);
  });

  it('reads a failure answer into the error its oned code means', async () => {
    answer = {
      status: 200,
      type: 'text/xml',
      body: '<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><boolean>0</boolean></value><value><string>[one.vm.info] User couldn\'t be authenticated, aborting call.</string></value><value><i4>256</i4></value><value><i4>-1</i4></value><value><i8>0</i8></value></data></array></value></param></params></methodResponse>',
    };
    const error = await failure(() => clientWithLogs().client.document('one.vm.info', [1]));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain(
      "OpenNebula refused one.vm.info (AUTHENTICATION): [one.vm.info] User couldn't be authenticated",
    );
  });

  it.each([
    [
      'a fault',
      {
        status: 200,
        type: 'text/xml',
        body: '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-506</int></value></member><member><name>faultString</name><value><string>Method one.vmpool.info has no such signature</string></value></member></struct></value></fault></methodResponse>',
      },
      'CLOUD_ERROR',
      'answered one.vmpool.info with an XML-RPC fault -506: Method one.vmpool.info has no such signature.',
    ],
    [
      'truncated XML',
      { status: 200, type: 'text/xml', body: success('<value><string>&lt;VM_POOL&gt;').slice(0, 120) },
      'CLOUD_ERROR',
      'answered one.vmpool.info with something that is not an XML-RPC answer: the body is not well-formed XML',
    ],
    [
      'a proxy login page answered 200',
      {
        status: 200,
        type: 'text/html',
        body: '<!DOCTYPE html><html><body><form>Sign in</form></body></html>',
      },
      'CLOUD_ERROR',
      'answered one.vmpool.info with an HTML page, not XML-RPC: check that parameter "endpoint"',
    ],
    [
      'a proxy error page',
      { status: 502, type: 'text/html', body: '<html><body>Bad Gateway</body></html>' },
      'CLOUD_UNAVAILABLE',
      'answered one.vmpool.info with HTTP 502 and an HTML page (a proxy or web server, not oned).',
    ],
    [
      'an answer that is not oned’s array',
      {
        status: 200,
        type: 'text/xml',
        body: '<?xml version="1.0"?><methodResponse><params><param><value><string>ok</string></value></param></params></methodResponse>',
      },
      'CLOUD_ERROR',
      'the answer is not the array [success, result, code]',
    ],
  ])('names %s clearly, with the method', async (_, body, code, message) => {
    answer = body;
    const { client, entries } = clientWithLogs();
    const error = await failure(() => client.document('one.vmpool.info', [-3, 0, -100, -1]));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(findSecretLeaks(error, [identity.password, session])).toEqual([]);
    expect(findSecretLeaks(entries, [identity.password, session])).toEqual([]);
  });

  it('never shows the session string, even when a proxy echoes the request back', async () => {
    answer = { status: 500, type: 'text/plain', body: `could not forward: ${session}` };
    const { client, entries } = clientWithLogs();
    const error = await failure(() => client.document('one.vmpool.info', [-3, 0, -100, -1]));
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toBe(
      'The OpenNebula endpoint answered one.vmpool.info with HTTP 500: could not forward: [REDACTED].',
    );
    expect(findSecretLeaks(error, [identity.password, session])).toEqual([]);
    expect(findSecretLeaks(entries, [identity.password, session])).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
  });
});
