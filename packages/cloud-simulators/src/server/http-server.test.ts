import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCloud } from '../model/cloud.js';
import type { FrontEnd, SimRequest } from './frontend.js';
import { listen, type RunningServer } from './http-server.js';

/** A toy protocol: GET /<operation> answers {"done": "<operation>"} and counts what it handled. */
function toyFrontEnd(handled: string[]): FrontEnd {
  return {
    operationOf: (request: SimRequest) => request.url.pathname.slice(1) || 'root',
    handle(request) {
      const operation = request.url.pathname.slice(1);
      if (operation === 'crash') throw new Error('front-end bug');
      handled.push(operation);
      return { status: 200, body: JSON.stringify({ done: operation, body: request.body }) };
    },
    errorResponse: (status, message) => ({ status, body: JSON.stringify({ error: { status, message } }) }),
  };
}

const cloud = new SimCloud({ zones: [], images: [], sizes: [], accounts: [{ key: 'k', secret: 's' }] });

describe('listen', () => {
  let server: RunningServer;
  let handled: string[];
  const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

  beforeEach(async () => {
    handled = [];
    server = await listen(toyFrontEnd(handled), cloud);
  });
  afterEach(() => server.close());

  it('serves on loopback with a random port and logs each request with its operation', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const response = await get('/listThings', { method: 'POST', body: 'a=1' });
    expect(await response.json()).toEqual({ done: 'listThings', body: 'a=1' });
    expect(server.control.requests).toEqual([
      {
        method: 'POST',
        path: '/listThings',
        operation: 'listThings',
        status: 200,
        faults: [],
        inFlight: 1,
        receivedAt: 1,
        answeredAt: 2,
      },
    ]);
    expect(server.control.count('LISTTHINGS')).toBe(1);
    server.control.clearRequests();
    expect(server.control.requests).toEqual([]);
  });

  it('logs how many requests were in flight when each arrived, and when each arrived and was answered', async () => {
    // Held back long enough that the three requests surely overlap; the fourth comes after them.
    server.control.addLatency(300, { times: 3 });
    await Promise.all(['/a', '/b', '/c'].map((path) => get(path)));
    await get('/d');
    const log = server.control.requests;
    expect(log.map((r) => r.inFlight).sort()).toEqual([1, 1, 2, 3]);
    const last = log.find((r) => r.operation === 'd');
    expect(last).toMatchObject({ inFlight: 1, receivedAt: 7, answeredAt: 8 });
    const together = log.filter((r) => r.operation !== 'd');
    for (const r of together) {
      for (const other of together) expect(r.receivedAt).toBeLessThan(other.answeredAt);
    }
    expect([...log.flatMap((r) => [r.receivedAt, r.answeredAt])].sort((x, y) => x - y)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('counts a reset request out of flight', async () => {
    server.control.resetConnection();
    await get('/gone').catch(() => undefined);
    await get('/next');
    expect(server.control.requests.map((r) => [r.operation, r.inFlight])).toEqual([
      ['gone', 1],
      ['next', 1],
    ]);
  });

  it('answers injected statuses with the cloud error body, only as many times as asked', async () => {
    server.control.failWithStatus(503, { times: 2, message: 'down for maintenance' });
    for (const _ of [1, 2]) {
      const response = await get('/a');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { status: 503, message: 'down for maintenance' } });
    }
    expect((await get('/a')).status).toBe(200);
    expect(handled).toEqual(['a']);
  });

  it('rate limits with a Retry-After header', async () => {
    server.control.rateLimit(7);
    const response = await get('/a');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('matches faults by operation name or predicate', async () => {
    server.control.failWithStatus(500, { match: 'deploy', times: Number.POSITIVE_INFINITY });
    server.control.failWithStatus(502, { match: (request) => request.method === 'DELETE' });
    expect((await get('/list')).status).toBe(200);
    expect((await get('/Deploy')).status).toBe(500);
    expect((await get('/deploy')).status).toBe(500);
    expect((await get('/x', { method: 'DELETE' })).status).toBe(502);
    expect((await get('/x', { method: 'DELETE' })).status).toBe(200);
    server.control.clearFaults();
    expect((await get('/deploy')).status).toBe(200);
  });

  it('resets the connection before handling, so nothing happens', async () => {
    server.control.resetConnection();
    const failure = await get('/create').catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(handled).toEqual([]);
    expect(server.control.requests[0]).toMatchObject({
      operation: 'create',
      status: undefined,
      faults: ['reset'],
    });
  });

  it('resets the connection after handling: the effect happens, the answer is lost', async () => {
    server.control.resetConnection({ afterHandling: true, match: 'create' });
    const failure = await get('/create').catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(handled).toEqual(['create']);
  });

  it('malforms a body into something that is not JSON', async () => {
    server.control.malformBody();
    const response = await get('/thing');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(handled).toEqual(['thing']);
  });

  it('holds answers back with latency, and close() does not wait for them', async () => {
    server.control.addLatency(60_000);
    const slow = get('/slow', { signal: AbortSignal.timeout(300) }).catch((error: Error) => error.name);
    expect(await slow).toBe('TimeoutError');
    await server.close();
    expect(handled).toEqual([]);
  });

  it('turns a front-end exception into a 500 in the cloud error shape', async () => {
    const response = await get('/crash');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { status: 500, message: 'Internal simulator error: front-end bug' },
    });
  });

  it('routes key states and job failures to the model', () => {
    server.control.expireKey('k');
    expect(cloud.accountByKey('k')?.status).toBe('expired');
    server.control.revokeKey('k');
    expect(cloud.accountByKey('k')?.status).toBe('revoked');
    server.control.restoreKey('k');
    expect(cloud.accountByKey('k')?.status).toBe('active');
  });

  it('refuses a fault that would hit nothing', () => {
    expect(() => server.control.malformBody({ times: 0 })).toThrow(/at least one request/);
  });
});
