import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError, type ErrorCode } from './errors.js';
import {
  createHttpTransport,
  type HttpDebugEvent,
  type HttpTransport,
  type HttpTransportOptions,
  parseRetryAfter,
} from './http.js';

// One real server for the whole file; each test installs its own handler. `hits` records what the
// server saw, so tests assert attempt counts and order server-side, never timings.
type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

let server: Server;
let base: string;
let handler: Handler;
let hits: string[];
let events: HttpDebugEvent[];
const transports: HttpTransport[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res, hits.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits = [];
  events = [];
  handler = (_req, res) => res.end('ok');
});

afterEach(async () => {
  // Drop responses a test left hanging, then the transports' pools.
  server.closeAllConnections();
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

/** A transport with instant backoff (random 0) and debug events captured into `events`. */
function transport(options: HttpTransportOptions = {}): HttpTransport {
  const t = createHttpTransport({
    connector: 'testcloud',
    instance: 'test-1',
    backoffBaseMs: 1,
    random: () => 0,
    onDebug: (event) => events.push(event),
    ...options,
  });
  transports.push(t);
  return t;
}

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(ConnectorError.is(error), String(error)).toBe(true);
    return error as ConnectorError;
  }
  throw new Error('expected the request to fail');
}

/**
 * Waits for `condition`; the deadline, far above what a loaded machine needs, only ends a test
 * that would otherwise hang.
 */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Answers `statuses[hit - 1]` in turn (the last one repeats), with optional extra headers. */
function answer(statuses: number[], headers: Record<string, string> = {}, body = 'nope'): Handler {
  return (_req, res, hit) => {
    const status = statuses[Math.min(hit, statuses.length) - 1] ?? 200;
    res.writeHead(status, headers).end(status < 400 ? 'ok' : body);
  };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 2 ', now)).toBe(2000);
  });

  it('reads an HTTP-date relative to now, a past date being 0', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and malformed values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});

describe('createHttpTransport: responses', () => {
  it('resolves a 2xx with lowercased, joined headers and a lazy json()', async () => {
    handler = (req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Multi', ['a', 'b']);
      res.end(JSON.stringify({ method: req.method, héllo: 'wörld' }));
    };
    const response = await transport().request({ method: 'GET', url: `${base}/ok` });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-multi']).toBe('a, b');
    expect(response.url).toBe(`${base}/ok`);
    expect(response.json()).toEqual({ method: 'GET', héllo: 'wörld' });
    expect(response.json()).toBe(response.json());
    expect(events.map((e) => [e.type, e.attempt, e.status])).toEqual([
      ['request', 1, undefined],
      ['response', 1, 200],
    ]);
  });

  it('sends the body and headers and does not follow redirects', async () => {
    let received = '';
    handler = (req, res) => {
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        received += chunk;
      });
      req.on('end', () => res.writeHead(302, { Location: '/elsewhere' }).end());
    };
    const response = await transport().request({
      method: 'POST',
      url: `${base}/form`,
      headers: { 'content-type': 'text/plain' },
      body: 'payload',
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/elsewhere');
    expect(received).toBe('payload');
    expect(hits).toEqual(['POST /form']);
  });

  it('reports a malformed JSON body as CLOUD_ERROR naming the redacted URL', async () => {
    handler = (_req, res) => res.end('<html>not json</html>');
    const response = await transport().request({ method: 'GET', url: `${base}/html?signature=sig-value-1` });
    let error: unknown;
    try {
      response.json();
    } catch (e) {
      error = e;
    }
    expect(ConnectorError.hasCode(error, 'CLOUD_ERROR')).toBe(true);
    const { message } = error as ConnectorError;
    expect(message).toContain(`${base}/html?signature=`);
    expect(message).toContain('REDACTED');
    expect(message).not.toContain('sig-value-1');
    expect(message).toContain('not valid JSON');
    expect(message).toContain('<html>not json</html>');
  });

  it('quotes at most 200 characters of the body in errors', async () => {
    handler = (_req, res) => res.writeHead(400).end('x'.repeat(1000));
    const error = await rejection(transport().request({ method: 'GET', url: `${base}/long` }));
    expect(error.message.length).toBeLessThan(400);
  });

  it('fails CLOUD_ERROR when the body exceeds maxResponseBytes, with or without Content-Length', async () => {
    handler = (req, res) => {
      if (req.url === '/small') {
        res.end('fine');
      } else if (req.url === '/sized') {
        res.setHeader('Content-Length', 2000);
        res.end('x'.repeat(2000));
      } else {
        for (let i = 0; i < 4; i++) res.write('y'.repeat(500));
        res.end();
      }
    };
    const t = transport({ maxResponseBytes: 1000 });
    for (const path of ['/sized', '/chunked']) {
      const error = await rejection(t.request({ method: 'GET', url: `${base}${path}` }));
      expect(error.code).toBe('CLOUD_ERROR');
      expect(error.message).toContain('1000 bytes');
    }
    expect(hits).toEqual(['GET /sized', 'GET /chunked']);
    // The pool is still usable afterwards.
    expect((await t.request({ method: 'GET', url: `${base}/small` })).body).toBe('fine');
  });

  it('rejects an invalid URL with INVALID_REQUEST', async () => {
    const error = await rejection(transport().request({ method: 'GET', url: 'not a url' }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(events.map((e) => e.type)).toEqual(['failure']);
  });
});

describe('createHttpTransport: status mapping', () => {
  const cases: Array<[number, ErrorCode]> = [
    [400, 'INVALID_REQUEST'],
    [401, 'AUTH_FAILED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [408, 'TIMEOUT'],
    [409, 'INVALID_REQUEST'],
    [413, 'INVALID_REQUEST'],
    [418, 'INVALID_REQUEST'],
    [422, 'INVALID_REQUEST'],
    [429, 'RATE_LIMITED'],
    [500, 'CLOUD_ERROR'],
    [501, 'UNSUPPORTED'],
    [502, 'CLOUD_UNAVAILABLE'],
    [503, 'CLOUD_UNAVAILABLE'],
    [504, 'TIMEOUT'],
    [599, 'CLOUD_ERROR'],
  ];

  it.each(cases)('maps %i to %s', async (status, code) => {
    handler = answer([status], {}, 'the cloud says no');
    const error = await rejection(
      transport({ retries: 0 }).request({ method: 'GET', url: `${base}/status?signature=sig-value-2` }),
    );
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.connector).toBe('testcloud');
    expect(error.instance).toBe('test-1');
    expect(error.message).toMatch(
      new RegExp(`^GET ${base}/status\\?signature=\\S*REDACTED\\S* answered ${status}`),
    );
    expect(error.message).toContain(': the cloud says no');
    expect(error.message).not.toContain('sig-value-2');
    expect(events.at(-1)).toMatchObject({ type: 'failure', code, status });
  });

  it('names the status text', async () => {
    handler = answer([404], {}, 'no such vm');
    const error = await rejection(transport().request({ method: 'GET', url: `${base}/vm/1` }));
    expect(error.message).toBe(`GET ${base}/vm/1 answered 404 Not Found: no such vm`);
  });

  it('lets mapError supply the error after retries are exhausted, and falls back when it returns undefined', async () => {
    handler = (req, res) => res.writeHead(503).end(req.url === '/quota' ? 'QuotaExceeded' : 'busy');
    const seen: number[] = [];
    const mapError = (response: { status: number; body: string }) => {
      seen.push(response.status);
      return response.body === 'QuotaExceeded'
        ? new ConnectorError('QUOTA_EXCEEDED', 'quota exceeded', { status: response.status })
        : undefined;
    };
    const t = transport({ retries: 2 });
    const mapped = await rejection(t.request({ method: 'GET', url: `${base}/quota`, mapError }));
    expect(mapped.code).toBe('QUOTA_EXCEEDED');
    expect(hits).toHaveLength(3);
    expect(seen).toEqual([503]);
    const fallback = await rejection(t.request({ method: 'GET', url: `${base}/busy`, mapError }));
    expect(fallback.code).toBe('CLOUD_UNAVAILABLE');
  });

  it('resolves statuses in acceptStatus without retrying them', async () => {
    handler = answer([404]);
    const response = await transport().request({ method: 'GET', url: `${base}/maybe`, acceptStatus: [404] });
    expect(response.status).toBe(404);
    expect(response.body).toBe('nope');
    handler = answer([503]);
    const busy = await transport().request({ method: 'GET', url: `${base}/busy`, acceptStatus: [503] });
    expect(busy.status).toBe(503);
    expect(hits).toEqual(['GET /maybe', 'GET /busy']);
  });
});

describe('createHttpTransport: retries', () => {
  it('retries a GET on 503 and then succeeds', async () => {
    handler = answer([503, 503, 200]);
    const response = await transport().request({ method: 'GET', url: `${base}/flaky` });
    expect(response.status).toBe(200);
    expect(hits).toHaveLength(3);
    expect(events.map((e) => `${e.type}#${e.attempt}`)).toEqual([
      'request#1',
      'response#1',
      'retry#1',
      'request#2',
      'response#2',
      'retry#2',
      'request#3',
      'response#3',
    ]);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ status: 503, delayMs: 0 });
  });

  it('gives up after `retries` retries', async () => {
    handler = answer([502]);
    const error = await rejection(transport().request({ method: 'GET', url: `${base}/down` }));
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(hits).toHaveLength(4);
  });

  it('retries 429, 502, 503 and 504 for idempotent requests only where safe', async () => {
    for (const status of [429, 502, 503, 504]) {
      hits = [];
      handler = answer([status, 200]);
      await transport().request({ method: 'PUT', url: `${base}/put`, body: 'x' });
      expect(hits, `PUT ${status}`).toHaveLength(2);
    }
  });

  it('does not retry a POST on 500, 502 or 504', async () => {
    for (const status of [500, 502, 504]) {
      hits = [];
      handler = answer([status, 200]);
      const error = await rejection(
        transport().request({ method: 'POST', url: `${base}/create`, body: '{}' }),
      );
      expect(error.status).toBe(status);
      expect(hits, `POST ${status}`).toHaveLength(1);
    }
  });

  it('retries a POST on 429 and 503: the server declined it', async () => {
    for (const status of [429, 503]) {
      hits = [];
      handler = answer([status, 201]);
      const response = await transport().request({ method: 'POST', url: `${base}/create`, body: '{}' });
      expect(response.status).toBe(201);
      expect(hits, `POST ${status}`).toHaveLength(2);
    }
  });

  it('follows an explicit idempotent flag over the method', async () => {
    handler = answer([502, 200]);
    await transport().request({ method: 'POST', url: `${base}/token`, idempotent: true });
    expect(hits).toHaveLength(2);
    hits = [];
    const error = await rejection(
      transport().request({ method: 'GET', url: `${base}/deploy`, idempotent: false }),
    );
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(hits).toHaveLength(1);
  });

  it('waits exactly Retry-After instead of the backoff', async () => {
    handler = answer([429, 200], { 'Retry-After': '0' });
    // Were the backoff used, this test would sleep a minute and time out.
    const t = transport({ backoffBaseMs: 60_000, random: () => 1 });
    await t.request({ method: 'GET', url: `${base}/throttled` });
    expect(hits).toHaveLength(2);
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([{ delayMs: 0, status: 429 }]);
  });

  it('waits a one-second Retry-After on 503', async () => {
    handler = answer([503, 200], { 'Retry-After': '1' });
    await transport({ backoffBaseMs: 60_000, random: () => 1 }).request({
      method: 'GET',
      url: `${base}/later`,
    });
    expect(hits).toHaveLength(2);
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([{ delayMs: 1000, status: 503 }]);
  });

  it('fails at once with RATE_LIMITED / CLOUD_UNAVAILABLE when Retry-After exceeds maxRetryAfterMs', async () => {
    handler = answer([429], { 'Retry-After': '120' });
    const limited = await rejection(transport().request({ method: 'GET', url: `${base}/slow-down` }));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfterMs).toBe(120_000);
    expect(limited.retryable).toBe(true);
    expect(hits).toHaveLength(1);

    hits = [];
    handler = answer([503], { 'Retry-After': '2' });
    const unavailable = await rejection(
      transport({ maxRetryAfterMs: 1000 }).request({ method: 'POST', url: `${base}/maintenance` }),
    );
    expect(unavailable.code).toBe('CLOUD_UNAVAILABLE');
    expect(unavailable.retryAfterMs).toBe(2000);
    expect(hits).toHaveLength(1);
    expect(events.some((e) => e.type === 'retry')).toBe(false);
  });

  it('retries a GET whose connection was reset, but not a POST', async () => {
    handler = (req, res, hit) => (hit === 1 || req.method === 'POST' ? req.socket.destroy() : res.end('ok'));
    const t = transport();
    const response = await t.request({ method: 'GET', url: `${base}/reset` });
    expect(response.body).toBe('ok');
    expect(hits).toHaveLength(2);
    expect(events.find((e) => e.type === 'retry')?.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/);

    hits = [];
    const error = await rejection(t.request({ method: 'POST', url: `${base}/reset`, body: '{}' }));
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect((error.cause as { code?: string }).code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/);
    expect(hits).toHaveLength(1);
  });

  it('retries a refused connection even for a POST: it never reached the server', async () => {
    const port = await closedPort();
    const error = await rejection(
      transport({ retries: 2 }).request({ method: 'POST', url: `http://127.0.0.1:${port}/x`, body: '{}' }),
    );
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(events.filter((e) => e.type === 'request')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.code)).toEqual([
      'ECONNREFUSED',
      'ECONNREFUSED',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'failure', code: 'CLOUD_UNAVAILABLE', attempt: 3 });
  });
});

describe('createHttpTransport: timeouts and aborts', () => {
  it('fails TIMEOUT when the server never answers', async () => {
    handler = () => {};
    // A second, not less: on a loaded machine the request must reach the server before it times out.
    const error = await rejection(
      transport({ retries: 0 }).request({ method: 'GET', url: `${base}/hang`, timeoutMs: 1_000 }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(hits).toHaveLength(1);
  });

  it('counts the body in the timeout, and retries a timed-out GET', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('partial');
    };
    const error = await rejection(
      transport({ retries: 1, requestTimeoutMs: 1_000 }).request({ method: 'GET', url: `${base}/trickle` }),
    );
    expect(error.code).toBe('TIMEOUT');
    // Two attempts were made: counted on the client's side, since on a loaded machine the second
    // may time out before the server has seen it. The server saw the first (its body trickled).
    expect(events.filter((e) => e.type === 'request')).toHaveLength(2);
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.code)).toEqual(['TIMEOUT']);
  });

  it('fails ABORTED, without retrying, when the caller aborts mid-flight', async () => {
    handler = () => {};
    const controller = new AbortController();
    const result = rejection(
      transport().request({
        method: 'GET',
        url: `${base}/abort`,
        signal: controller.signal,
        // Far beyond the abort below, however loaded the machine: this test is about the abort.
        timeoutMs: 20_000,
      }),
    );
    await waitFor(() => hits.length === 1);
    controller.abort();
    const error = await result;
    expect(error.code).toBe('ABORTED');
    expect(error.retryable).toBe(false);
    expect(hits).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['request', 'failure']);
  });

  it('fails ABORTED without sending when the signal is already aborted', async () => {
    const error = await rejection(
      transport().request({ method: 'GET', url: `${base}/never`, signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('ABORTED');
    expect(hits).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['failure']);
  });

  it('releases the slot during a backoff sleep, and the caller can abort the sleep', async () => {
    handler = (req, res) => res.writeHead(req.url === '/sleepy' ? 503 : 200).end();
    // A minute of backoff: only an abort ends the first request's sleep.
    const t = transport({ maxConcurrency: 1, backoffBaseMs: 60_000, random: () => 1 });
    const controller = new AbortController();
    const sleepy = rejection(t.request({ method: 'GET', url: `${base}/sleepy`, signal: controller.signal }));
    await waitFor(() => events.some((e) => e.type === 'retry'));
    const other = await t.request({ method: 'GET', url: `${base}/other` });
    expect(other.status).toBe(200);
    controller.abort();
    expect((await sleepy).code).toBe('ABORTED');
    expect(hits).toEqual(['GET /sleepy', 'GET /other']);
  });
});

describe('createHttpTransport: concurrency', () => {
  it('keeps at most maxConcurrency requests in flight, until each body is read, in FIFO order', async () => {
    const held: Array<() => void> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    handler = (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Headers and part of the body go out now; the slot must stay taken until the end.
      res.writeHead(200);
      res.write('part-');
      held.push(() => {
        inFlight--;
        res.end('end');
      });
    };
    const t = transport({ maxConcurrency: 2 });
    const results = Array.from({ length: 6 }, (_, i) => t.request({ method: 'GET', url: `${base}/c/${i}` }));
    for (let released = 0; released < 6; released++) {
      await waitFor(() => held.length === Math.min(2, 6 - released));
      held.shift()?.();
    }
    const responses = await Promise.all(results);
    expect(responses.map((r) => r.body)).toEqual(Array(6).fill('part-end'));
    expect(maxInFlight).toBe(2);
    expect(hits.slice(0, 2).sort()).toEqual(['GET /c/0', 'GET /c/1']);
    expect(hits.slice(2)).toEqual(['GET /c/2', 'GET /c/3', 'GET /c/4', 'GET /c/5']);
  });

  it('removes a queued request from the queue when its signal aborts', async () => {
    const held: Array<() => void> = [];
    handler = (_req, res) => held.push(() => res.end('ok'));
    const t = transport({ maxConcurrency: 1 });
    const first = t.request({ method: 'GET', url: `${base}/q/first` });
    await waitFor(() => held.length === 1);
    const controller = new AbortController();
    const second = rejection(
      t.request({ method: 'GET', url: `${base}/q/second`, signal: controller.signal }),
    );
    const third = t.request({ method: 'GET', url: `${base}/q/third` });
    controller.abort();
    expect((await second).code).toBe('ABORTED');
    held.shift()?.();
    await first;
    await waitFor(() => held.length === 1);
    held.shift()?.();
    await third;
    expect(hits).toEqual(['GET /q/first', 'GET /q/third']);
    expect(events.filter((e) => e.url.endsWith('/q/second')).map((e) => e.type)).toEqual(['failure']);
  });
});

describe('createHttpTransport: secrets and lifecycle', () => {
  const token = 's3cr3t-token-value';
  const secretKey = 'the-secret-key';
  const accessKey = 'AKIAIOSFODNN7EXAMPLE';
  const secrets = [token, secretKey];

  function assertClean(error: ConnectorError): void {
    const texts = [
      error.message,
      String(error.stack),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      JSON.stringify(events),
    ];
    for (const text of texts) {
      for (const secret of [token, secretKey, accessKey]) expect(text).not.toContain(secret);
    }
    expect(events.some((e) => e.type === 'request')).toBe(true);
  }

  it('keeps secrets out of errors, their causes and debug events', async () => {
    const url = `${base}/secret?apikey=${accessKey}&signature=${secretKey}&zone=1`;
    const headers = { Authorization: `Bearer ${token}`, 'X-Echo': `key=${secretKey}` };
    const t = transport({ retries: 1 });

    // A 500 whose body echoes the credentials.
    handler = (req, res) =>
      res.writeHead(500).end(`bad signature ${secretKey} for ${req.headers.authorization}`);
    const status = await rejection(t.request({ method: 'GET', url, headers, secrets }));
    expect(status.code).toBe('CLOUD_ERROR');
    expect(status.message).toContain('REDACTED');
    expect(status.message).toContain('zone=1');
    assertClean(status);
    const request = events.find((e) => e.type === 'request');
    expect(request?.headers).toEqual({ Authorization: '[REDACTED]', 'X-Echo': 'key=[REDACTED]' });

    // A 200 whose malformed JSON body echoes them.
    events = [];
    handler = (req, res) => res.end(`oops ${req.headers.authorization} ${secretKey}`);
    const response = await t.request({ method: 'GET', url, headers, secrets });
    let parseError: unknown;
    try {
      response.json();
    } catch (e) {
      parseError = e;
    }
    expect(ConnectorError.hasCode(parseError, 'CLOUD_ERROR')).toBe(true);
    assertClean(parseError as ConnectorError);

    // A network failure, retried, with its cause kept.
    events = [];
    handler = (req) => req.socket.destroy();
    const network = await rejection(t.request({ method: 'GET', url, headers, secrets }));
    expect(network.code).toBe('CLOUD_UNAVAILABLE');
    expect(network.cause).toBeInstanceOf(Error);
    expect(events.map((e) => e.type)).toEqual(['request', 'retry', 'request', 'failure']);
    assertClean(network);
  });

  it('rejects requests after close()', async () => {
    const t = transport();
    await t.request({ method: 'GET', url: `${base}/before` });
    await t.close();
    await t.close();
    const error = await rejection(t.request({ method: 'GET', url: `${base}/after` }));
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('closed');
    expect(hits).toEqual(['GET /before']);
  });

  it('ends a request still waiting for its answer when closed, instead of waiting with it', async () => {
    // The server takes the request and never answers; nothing but close() can end the wait.
    handler = () => {};
    const t = transport({ requestTimeoutMs: 600_000, retries: 3 });
    const pending = rejection(t.request({ method: 'GET', url: `${base}/hangs` }));
    await vi.waitFor(() => expect(hits).toEqual(['GET /hangs']), { timeout: 10_000 });
    await t.close();
    const error = await pending;
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('the HTTP transport of instance test-1 is closed');
    // Not retried after the close.
    expect(hits).toEqual(['GET /hangs']);
  });
});

describe('createHttpTransport: signing hook', () => {
  it('signs every attempt afresh, before it waits for a slot, and scrubs the signature', async () => {
    let signed = 0;
    handler = (req, res, hit) => {
      res.writeHead(hit === 1 ? 503 : 200).end(`saw ${req.headers['x-signature']} ${req.url}`);
    };
    const t = transport({ retries: 1, maxConcurrency: 1 });
    const response = await t.request({
      method: 'POST',
      url: `${base}/signed?command=list`,
      body: 'a=1',
      sign: async (request) => {
        signed += 1;
        // The hook sees the request as the caller built it, and may move the signature anywhere.
        expect(request).toMatchObject({ method: 'POST', body: 'a=1' });
        const url = new URL(request.url);
        url.searchParams.set('sig', `sig-${signed}-value`);
        return { url, headers: { 'x-signature': `sig-${signed}-value` }, secrets: [`sig-${signed}-value`] };
      },
    });
    expect(signed).toBe(2);
    expect(hits).toEqual([
      'POST /signed?command=list&sig=sig-1-value',
      'POST /signed?command=list&sig=sig-2-value',
    ]);
    expect(response.body).toBe('saw sig-2-value /signed?command=list&sig=sig-2-value');
    const requests = events.filter((e) => e.type === 'request');
    expect(requests.map((e) => e.headers?.['x-signature'])).toEqual(['[REDACTED]', '[REDACTED]']);
    // Events name the URL as the caller gave it: without the signature.
    expect(requests.map((e) => e.url)).toEqual([
      `${base}/signed?command=list`,
      `${base}/signed?command=list`,
    ]);
  });

  it('lets a hook that itself requests through the transport (a token) run with every slot taken', async () => {
    const t = transport({ maxConcurrency: 1 });
    handler = (req, res) => res.end(req.url === '/token' ? 'tok-value-1' : `ok ${req.headers['x-auth']}`);
    let token: Promise<string> | undefined;
    const sign = async () => {
      token ??= t.request({ method: 'POST', url: `${base}/token`, idempotent: true }).then((r) => r.body);
      const value = await token;
      return { headers: { 'x-auth': value }, secrets: [value] };
    };
    const answers = await Promise.all(
      [1, 2, 3].map((i) => t.request({ method: 'GET', url: `${base}/item/${i}`, sign })),
    );
    expect(answers.map((a) => a.body)).toEqual(['ok tok-value-1', 'ok tok-value-1', 'ok tok-value-1']);
    expect(hits.filter((hit) => hit === 'POST /token')).toHaveLength(1);
  });

  it('keeps a signature out of the error of a refused request', async () => {
    handler = (req, res) => res.writeHead(401).end(`bad signature ${req.headers['x-signature']}`);
    const error = await rejection(
      transport().request({
        method: 'GET',
        url: `${base}/refused`,
        sign: () => ({ headers: { 'x-signature': 'sig-secret-value' }, secrets: ['sig-secret-value'] }),
      }),
    );
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('bad signature [REDACTED]');
    expect(JSON.stringify(events)).not.toContain('sig-secret-value');
  });
});
