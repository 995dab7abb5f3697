import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultControl, FaultRuleOptions } from '../faults.js';

/**
 * A tiny cloud over real HTTP on 127.0.0.1, with the fault injection of the SlipStream simulators
 * (the FaultControl shape), for the testkit's own tests of describeFaults. JSON API:
 * GET /account, /images, /sizes, /vms[?token=], POST /vms, DELETE /vms/:id, authenticated by the
 * `x-api-key` and `x-api-secret` headers.
 */

/** The one account the fake cloud knows. */
export const FAKE_CLOUD_USER = { key: 'bob', secret: 'bob-secret-value-42' } as const;

/** The operation names the fake cloud counts requests under. */
export const FAKE_CLOUD_OPERATIONS = { list: 'listVms', create: 'createVm' } as const;

export interface FakeCloudVm {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly size: string;
  readonly token: string;
  readonly createdAt: string;
  readonly address: string;
  state: 'starting' | 'running' | 'deleted';
  readonly runningAt: number;
}

export interface FakeCloud {
  readonly url: string;
  readonly control: FaultControl;
  /** The VMs the cloud holds, for tests that look behind the API. */
  readonly vms: ReadonlyMap<string, FakeCloudVm>;
  close(): Promise<void>;
}

type Fault =
  | { readonly kind: 'latency'; readonly delayMs: number }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly message: string;
      readonly retryAfter?: number;
    }
  | { readonly kind: 'reset'; readonly afterHandling: boolean }
  | { readonly kind: 'malformed' };

interface Rule {
  readonly fault: Fault;
  readonly match: string | undefined;
  remaining: number;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

const IMAGES = [{ id: 'img-1', name: 'Linux' }];
const SIZES = [{ id: 'size-1', name: 'Small' }];

export async function startFakeCloud(
  options: {
    readonly bootMs?: number;
    /** Throttle as EC2 does, 503 without Retry-After, instead of 429 with it. */
    readonly throttleWithoutRetryAfter?: boolean;
  } = {},
): Promise<FakeCloud> {
  const bootMs = options.bootMs ?? 20;
  let rules: Rule[] = [];
  const requests: string[] = [];
  const vms = new Map<string, FakeCloudVm>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let counter = 0;

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const add = (fault: Fault, opts: FaultRuleOptions = {}): void => {
    rules.push({ fault, match: opts.match, remaining: opts.times ?? 1 });
  };
  /** The faults hitting a request, at most one of each kind, counted down; as the simulators do. */
  const take = (operation: string): Fault[] => {
    const hits: Fault[] = [];
    for (const rule of rules) {
      if (hits.some((hit) => hit.kind === rule.fault.kind)) continue;
      if (rule.match !== undefined && rule.match.toLowerCase() !== operation.toLowerCase()) continue;
      hits.push(rule.fault);
      rule.remaining -= 1;
    }
    rules = rules.filter((rule) => rule.remaining > 0);
    return hits;
  };
  const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
  const error = (status: number, message: string): Answer => json(status, { error: message });
  const view = (vm: FakeCloudVm): FakeCloudVm => {
    if (vm.state === 'starting' && Date.now() >= vm.runningAt) vm.state = 'running';
    return vm;
  };

  const operationOf = (method: string, path: string): string => {
    if (method === 'GET' && path === '/account') return 'getAccount';
    if (method === 'GET' && path === '/images') return 'listImages';
    if (method === 'GET' && path === '/sizes') return 'listSizes';
    if (method === 'GET' && path === '/vms') return 'listVms';
    if (method === 'POST' && path === '/vms') return 'createVm';
    if (method === 'DELETE' && /^\/vms\/[^/]+$/.test(path)) return 'deleteVm';
    return 'unknown';
  };

  const handle = (operation: string, incoming: IncomingMessage, url: URL, body: string): Answer => {
    if (
      incoming.headers['x-api-key'] !== FAKE_CLOUD_USER.key ||
      incoming.headers['x-api-secret'] !== FAKE_CLOUD_USER.secret
    ) {
      return error(401, 'Unknown API key or wrong secret.');
    }
    switch (operation) {
      case 'getAccount':
        return json(200, { key: FAKE_CLOUD_USER.key });
      case 'listImages':
        return json(200, { images: IMAGES });
      case 'listSizes':
        return json(200, { sizes: SIZES });
      case 'listVms': {
        const token = url.searchParams.get('token');
        const listed = [...vms.values()].map(view).filter((vm) => token === null || vm.token === token);
        return json(200, { vms: listed });
      }
      case 'createVm': {
        const input = JSON.parse(body) as Partial<Record<string, string>>;
        if (!IMAGES.some((i) => i.id === input.image)) return error(404, `No image ${input.image}.`);
        if (!SIZES.some((s) => s.id === input.size)) return error(404, `No size ${input.size}.`);
        counter += 1;
        const vm: FakeCloudVm = {
          id: randomUUID(),
          name: input.name ?? '',
          image: input.image ?? '',
          size: input.size ?? '',
          token: input.token ?? '',
          createdAt: new Date().toISOString(),
          address: `198.51.100.${counter}`,
          state: 'starting',
          runningAt: Date.now() + bootMs,
        };
        vms.set(vm.id, vm);
        return json(201, { vm });
      }
      case 'deleteVm': {
        const vm = vms.get(url.pathname.slice('/vms/'.length));
        if (!vm) return error(404, 'No such VM.');
        vm.state = 'deleted';
        return { status: 204, body: '' };
      }
      default:
        return error(404, `No route ${incoming.method} ${url.pathname}.`);
    }
  };

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const operation = operationOf(incoming.method ?? 'GET', url.pathname);
    // Counted on arrival, so a held-back request counts at once rather than when its delay ends.
    requests.push(operation);
    const hits = take(operation);
    const find = <K extends Fault['kind']>(kind: K) =>
      hits.find((hit): hit is Extract<Fault, { kind: K }> => hit.kind === kind);
    const latency = find('latency');
    if (latency) await delay(latency.delayMs);
    const reset = find('reset');
    if (reset && !reset.afterHandling) {
      incoming.socket.resetAndDestroy();
      return;
    }
    const status = find('status');
    let answer: Answer = status
      ? {
          ...error(status.status, status.message),
          ...(status.retryAfter === undefined
            ? {}
            : { headers: { 'retry-after': String(status.retryAfter) } }),
        }
      : handle(operation, incoming, url, Buffer.concat(chunks).toString('utf8'));
    if (reset) {
      incoming.socket.resetAndDestroy();
      return;
    }
    if (find('malformed'))
      answer = { status: 200, body: answer.body.slice(0, Math.max(1, answer.body.length >> 1)) };
    outgoing.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    outgoing.end(answer.body);
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
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const control: FaultControl = {
    failWithStatus: (status, opts) =>
      add({ kind: 'status', status, message: opts?.message ?? `Simulated ${status} failure.` }, opts),
    rateLimit: (retryAfter, opts) =>
      options.throttleWithoutRetryAfter
        ? add({ kind: 'status', status: 503, message: 'Request limit exceeded.' }, opts)
        : add({ kind: 'status', status: 429, message: 'Too many requests.', retryAfter }, opts),
    resetConnection: (opts) => add({ kind: 'reset', afterHandling: opts?.afterHandling ?? false }, opts),
    malformBody: (opts) => add({ kind: 'malformed' }, opts),
    addLatency: (delayMs, opts) => add({ kind: 'latency', delayMs }, opts),
    count: (operation) => requests.filter((r) => r.toLowerCase() === operation.toLowerCase()).length,
    clearFaults: () => {
      rules = [];
    },
    clearRequests: () => {
      requests.length = 0;
    },
  };

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    control,
    vms,
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
