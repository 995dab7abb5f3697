import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHttpTransport,
  type HttpTransport,
  RecentlyDeleted,
  silentLogger,
} from '@slipstream/connector-core';
import type { SessionAccess } from '../access.js';
import { FlavorCache } from '../catalog.js';
import { OpenStackClient } from '../client.js';
import type { SessionContext } from '../context.js';
import { NetworkDirectory } from '../networks.js';
import { NOVA_MICROVERSION, type OpenStackSettings } from '../parameters.js';

/**
 * Unit-test helpers: a scripted HTTP server on 127.0.0.1 (each test answers the requests it
 * expects) and a client on it with a fixed token, so that modules are tested over core's real
 * transport without a simulator.
 */

export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  readonly json: unknown;
}

export interface StubAnswer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON unless a string. */
  readonly body?: unknown;
}

export type StubHandler = (request: StubRequest) => StubAnswer | Promise<StubAnswer>;

export interface Stub {
  readonly url: string;
  readonly requests: StubRequest[];
  /** Replaces the handler. */
  handle(handler: StubHandler): void;
  /** Requests whose "METHOD path" matches. */
  count(method: string, path: string | RegExp): number;
  close(): Promise<void>;
}

export async function startStub(handler: StubHandler = () => ({ status: 404 })): Promise<Stub> {
  let current = handler;
  const requests: StubRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request: StubRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body,
        json,
      };
      requests.push(request);
      Promise.resolve()
        .then(() => current(request))
        .then(
          (answer) => {
            const text =
              answer.body === undefined
                ? ''
                : typeof answer.body === 'string'
                  ? answer.body
                  : JSON.stringify(answer.body);
            outgoing.writeHead(answer.status ?? 200, {
              'content-type': 'application/json',
              ...answer.headers,
            });
            outgoing.end(text);
          },
          (error: unknown) => {
            outgoing.writeHead(500, { 'content-type': 'text/plain' });
            outgoing.end(String(error));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    count(method, path) {
      return requests.filter(
        (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
      ).length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A transport for tests: no retry waits worth mentioning. */
export function testTransport(): HttpTransport {
  return createHttpTransport({ backoffBaseMs: 1, backoffMaxMs: 2, retries: 2 });
}

export const TEST_TOKEN = 'gAAAAAB-test-token-value-0123456789';

/** Access with a fixed token and fixed endpoints below the stub: compute at /compute/v2.1, image at /image, network at /network. */
export function stubAccess(url: string, token = TEST_TOKEN): SessionAccess {
  return {
    authenticator: {
      secrets: [],
      authorize: async () => ({ headers: { 'x-auth-token': token }, secrets: [token] }),
      rejected: () => false,
    },
    endpoints: {
      endpoint: async (service) =>
        service === 'compute'
          ? `${url}/compute/v2.1`
          : service === 'image'
            ? `${url}/image`
            : `${url}/network`,
    },
    owner: 'tester@Default/project',
  };
}

export function stubClient(stub: Stub, http: HttpTransport = testTransport()): OpenStackClient {
  return new OpenStackClient({ http, access: stubAccess(stub.url), microversion: NOVA_MICROVERSION });
}

/** A session's context on the stub: no networks set, floating IPs off unless `settings` say so. */
export function stubContext(
  stub: Stub,
  settings: Partial<OpenStackSettings> = {},
  deleted: RecentlyDeleted = new RecentlyDeleted(),
): SessionContext {
  const client = stubClient(stub);
  const full: OpenStackSettings = {
    networks: {},
    floatingIps: false,
    microversion: NOVA_MICROVERSION,
    ...settings,
  };
  return {
    client,
    settings: full,
    flavors: new FlavorCache(client),
    networks: new NetworkDirectory(client, full),
    deleted: deleted.of('o'),
    logger: silentLogger,
  };
}

/** A Nova server as GET /servers/{id} shows it at 2.47. */
export function novaServer(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `server-${id}`,
    status: 'ACTIVE',
    'OS-EXT-STS:task_state': null,
    'OS-EXT-STS:vm_state': 'active',
    'OS-EXT-AZ:availability_zone': 'nova',
    addresses: {
      private: [{ addr: '10.0.0.5', version: 4, 'OS-EXT-IPS:type': 'fixed' }],
    },
    image: { id: '70a599e0-31e7-49b7-b260-868f441e862b', links: [] },
    flavor: {
      original_name: 'm1.small',
      vcpus: 1,
      ram: 2048,
      disk: 20,
      ephemeral: 0,
      swap: 0,
      extra_specs: {},
    },
    metadata: {},
    created: '2026-11-27T10:00:00Z',
    key_name: null,
    ...extra,
  };
}

/** Nova's 404 body. */
export function itemNotFound(what: string): StubAnswer {
  return { status: 404, body: { itemNotFound: { code: 404, message: `${what} could not be found.` } } };
}
