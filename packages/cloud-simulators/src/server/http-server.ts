import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimCloud } from '../model/cloud.js';
import { type Fault, type FaultOptions, type FaultRequest, FaultRules } from './faults.js';
import type { FrontEnd, SimRequest, SimResponse } from './frontend.js';

/** One request as the simulator saw it: what tests count (retries, polls, pages). */
export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  /** The status answered; undefined when the connection was reset instead. */
  readonly status: number | undefined;
  /** The fault kinds that hit this request. */
  readonly faults: readonly Fault['kind'][];
  /**
   * Requests being handled when this one arrived, itself included: 1 when it had the server to
   * itself, more when a client's requests overlapped (pages fetched together, say).
   */
  readonly inFlight: number;
  /**
   * When it arrived and when it was answered (or reset), on one counter shared by both events of
   * every request: two requests overlapped exactly when each arrived before the other was answered.
   */
  readonly receivedAt: number;
  /** When it was answered (or reset), on the counter `receivedAt` uses. */
  readonly answeredAt: number;
}

/**
 * The control handle of a running simulator: fault injection, key states, the request log and the
 * model underneath. Faults hit the next matching requests (`times`, default 1).
 */
export interface SimulatorControl {
  /** The model: seed VMs, look at state, move a manual clock's time. */
  readonly cloud: SimCloud;
  /** Every request answered so far, oldest first. */
  readonly requests: readonly RequestRecord[];
  /** Requests whose operation is `operation` (case-insensitive). */
  count(operation: string): number;
  clearRequests(): void;
  /** Holds the answer back by `delayMs`. */
  addLatency(delayMs: number, options?: FaultOptions): void;
  /** Answers `status` with the cloud's error body instead of handling the request. */
  failWithStatus(status: number, options?: FaultOptions & { message?: string | undefined }): void;
  /**
   * Throttles: answers 429 Too Many Requests with a Retry-After header, or the cloud's own throttling
   * answer where it has one (EC2: 503 RequestLimitExceeded).
   */
  rateLimit(retryAfterSeconds: number, options?: FaultOptions): void;
  /**
   * Resets the connection (TCP RST). With `afterHandling` the request is handled first, so its
   * effect happens and only the answer is lost: the ambiguous failure idempotency is about.
   */
  resetConnection(options?: FaultOptions & { afterHandling?: boolean | undefined }): void;
  /** Handles the request and answers 200 with a truncated, unparseable body. */
  malformBody(options?: FaultOptions): void;
  /** The next `count` asynchronous jobs or operations fail when they complete. */
  failJobs(count: number, message?: string): void;
  /** Marks an API key expired or revoked: requests signed with it are refused as the cloud does. */
  expireKey(key: string): void;
  revokeKey(key: string): void;
  restoreKey(key: string): void;
  /** Removes every pending fault rule. */
  clearFaults(): void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly control: SimulatorControl;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number | undefined;
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string | undefined;
}

/** Serves a front-end over HTTP on loopback, with fault injection in front of it. */
export async function listen(
  frontEnd: FrontEnd,
  cloud: SimCloud,
  options: ListenOptions = {},
): Promise<RunningServer> {
  const faults = new FaultRules();
  const requests: RequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let events = 0;

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    inFlight += 1;
    const arrival = { inFlight, receivedAt: ++events };
    let answered = false;
    try {
      await handle(incoming, outgoing, arrival, () => {
        answered = true;
        inFlight -= 1;
        return ++events;
      });
    } finally {
      if (!answered) inFlight -= 1;
    }
  }

  async function handle(
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    arrival: { readonly inFlight: number; readonly receivedAt: number },
    answer: () => number,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: SimRequest = {
      method: incoming.method ?? 'GET',
      url: new URL(incoming.url ?? '/', 'http://127.0.0.1'),
      headers: incoming.headers,
      rawHeaders: incoming.rawHeaders,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const operation = safeOperation(frontEnd, request);
    const hit: FaultRequest = { ...request, operation };
    const taken = faults.take(hit);
    const record = (status: number | undefined): void => {
      requests.push({
        method: hit.method,
        path: hit.url.pathname,
        operation,
        status,
        faults: taken.map((f) => f.kind),
        ...arrival,
        answeredAt: answer(),
      });
    };
    const find = <K extends Fault['kind']>(kind: K) =>
      taken.find((f): f is Extract<Fault, { kind: K }> => f.kind === kind);

    const latency = find('latency');
    if (latency) await delay(latency.delayMs);
    const reset = find('reset');
    if (reset && !reset.afterHandling) {
      record(undefined);
      incoming.socket.resetAndDestroy();
      return;
    }
    let response: SimResponse;
    const status = find('status');
    if (status?.retryAfterSeconds !== undefined && frontEnd.throttleResponse) {
      response = frontEnd.throttleResponse(status.retryAfterSeconds, hit);
    } else if (status) {
      const error = frontEnd.errorResponse(status.status, status.message, hit);
      const headers: Record<string, string> = { ...error.headers };
      if (status.retryAfterSeconds !== undefined) headers['retry-after'] = String(status.retryAfterSeconds);
      response = { ...error, headers };
    } else {
      try {
        response = await frontEnd.handle(hit);
      } catch (error) {
        // A bug in a front-end answers 500 in the cloud's shape rather than killing the server.
        response = frontEnd.errorResponse(500, `Internal simulator error: ${(error as Error).message}`, hit);
      }
    }
    if (reset) {
      record(undefined);
      incoming.socket.resetAndDestroy();
      return;
    }
    if (find('malformed')) {
      const cut = response.body.slice(0, Math.max(1, Math.floor(response.body.length / 2)));
      response = { status: 200, headers: response.headers, body: cut === '' ? '{"' : cut };
    }
    record(response.status);
    outgoing.writeHead(response.status, {
      'content-type': 'application/json; charset=utf-8',
      ...response.headers,
    });
    outgoing.end(response.body);
  }

  const server = createServer((incoming, outgoing) => {
    serve(incoming, outgoing).catch(() => {
      if (!outgoing.headersSent) outgoing.writeHead(500).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const control: SimulatorControl = {
    cloud,
    requests,
    count: (operation) =>
      requests.filter((r) => r.operation.toLowerCase() === operation.toLowerCase()).length,
    clearRequests: () => void requests.splice(0),
    addLatency: (delayMs, opts) => faults.add({ kind: 'latency', delayMs }, opts),
    failWithStatus: (status, opts) =>
      faults.add({ kind: 'status', status, message: opts?.message ?? `Simulated ${status} failure.` }, opts),
    rateLimit: (retryAfterSeconds, opts) =>
      faults.add(
        { kind: 'status', status: 429, message: 'Too many requests; slow down.', retryAfterSeconds },
        opts,
      ),
    resetConnection: (opts) =>
      faults.add({ kind: 'reset', afterHandling: opts?.afterHandling ?? false }, opts),
    malformBody: (opts) => faults.add({ kind: 'malformed' }, opts),
    failJobs: (count, message) => cloud.failNextOperations(count, message),
    expireKey: (key) => cloud.setAccountStatus(key, 'expired'),
    revokeKey: (key) => cloud.setAccountStatus(key, 'revoked'),
    restoreKey: (key) => cloud.setAccountStatus(key, 'active'),
    clearFaults: () => faults.clear(),
  };

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Held-back answers and kept-alive sockets would otherwise keep the server open.
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

function safeOperation(frontEnd: FrontEnd, request: SimRequest): string {
  try {
    return frontEnd.operationOf(request);
  } catch {
    return 'unknown';
  }
}
