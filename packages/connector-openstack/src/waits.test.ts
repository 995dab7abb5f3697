import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  itemNotFound,
  novaServer,
  type Stub,
  type StubAnswer,
  startStub,
  stubClient,
} from './testing/stub.js';
import { waitForPort } from './waits.js';

const EXTERNAL = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c62';
/** Looks for ports that answer none before the server's port shows up. */
let emptyLooks: number;
/** The server's status; undefined: Nova no longer knows it. */
let serverStatus: string | undefined;

function neutronAndNova(path: string): StubAnswer {
  if (path === '/network/v2.0/ports') {
    if (emptyLooks-- > 0) return { body: { ports: [] } };
    return {
      body: {
        ports: [
          { id: 'port-ext', network_id: EXTERNAL, device_id: 's1' },
          { id: 'port-1', network_id: 'private-net', device_id: 's1' },
        ],
      },
    };
  }
  if (path === '/compute/v2.1/servers/s1') {
    return serverStatus === undefined
      ? itemNotFound('Instance s1')
      : { body: { server: novaServer('s1', { status: serverStatus }) } };
  }
  return { status: 404, body: 'no route' };
}

let stub: Stub;
beforeAll(async () => {
  stub = await startStub((request) => neutronAndNova(request.path));
});
afterAll(() => stub.close());
beforeEach(() => {
  emptyLooks = 0;
  serverStatus = 'BUILD';
  stub.requests.length = 0;
});

// Far above what a loaded machine needs: the deadline only ends a test whose condition never comes.
const wait = { intervalMs: 5, timeoutMs: 20_000 };

describe('waitForPort', () => {
  it('looks again until Nova has plugged the server in, and takes the port off the external network', async () => {
    emptyLooks = 2;
    const port = await waitForPort(stubClient(stub), 's1', EXTERNAL, wait);
    expect(port.id).toBe('port-1');
    expect(stub.count('GET', '/network/v2.0/ports')).toBe(3);
    expect(stub.requests.find((r) => r.path === '/network/v2.0/ports')?.query.get('device_id')).toBe('s1');
  });

  it('fails CLOUD_ERROR when the server goes into ERROR or disappears before it has a port', async () => {
    emptyLooks = Number.POSITIVE_INFINITY;
    serverStatus = 'ERROR';
    await expect(waitForPort(stubClient(stub), 's1', EXTERNAL, wait)).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('went into ERROR'),
    });
    serverStatus = undefined;
    await expect(waitForPort(stubClient(stub), 's1', EXTERNAL, wait)).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('disappeared'),
    });
  });

  it('fails TIMEOUT saying how to finish when the port never comes', async () => {
    emptyLooks = Number.POSITIVE_INFINITY;
    await expect(
      waitForPort(stubClient(stub), 's1', EXTERNAL, { intervalMs: 5, timeoutMs: 30 }),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('launch again with the same idempotency key'),
    });
  });

  it('stops ABORTED when the caller gives up', async () => {
    emptyLooks = Number.POSITIVE_INFINITY;
    const controller = new AbortController();
    const waiting = waitForPort(stubClient(stub), 's1', EXTERNAL, {
      intervalMs: 5,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
