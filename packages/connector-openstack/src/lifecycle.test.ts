import { RecentlyDeleted } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionContext } from './context.js';
import { start, stop, terminate } from './lifecycle.js';
import type { OpenStackSettings } from './parameters.js';
import {
  itemNotFound,
  novaServer,
  type Stub,
  type StubAnswer,
  type StubRequest,
  startStub,
  stubContext,
} from './testing/stub.js';

/** Servers by id; `deleted` ones show only with changes-since, as Nova shows them to users. */
let servers: Map<string, Record<string, unknown>>;
let deletedIds: Set<string>;
/** Answers server actions: 202, or 409 when the server is not in a state for it. */
function nova(request: StubRequest): StubAnswer {
  const path = request.path.replace('/compute/v2.1', '');
  if (path === '/servers' && request.method === 'GET') {
    const all = request.query.has('changes-since')
      ? [
          ...servers.values(),
          ...[...deletedIds].map((id): Record<string, unknown> => ({ id, status: 'DELETED' })),
        ]
      : [...servers.values()];
    return { body: { servers: all.map((s) => ({ id: s.id, name: s.name, links: [] })) } };
  }
  const match = /^\/servers\/([^/]+)(\/action)?$/.exec(path);
  const id = match?.[1] ?? '';
  const server = servers.get(id);
  if (!server) return itemNotFound(`Instance ${id}`);
  if (request.method === 'GET') return { body: { server } };
  if (request.method === 'DELETE') {
    servers.delete(id);
    deletedIds.add(id);
    return { status: 204 };
  }
  const action = Object.keys(request.json as object)[0];
  const wanted = action === 'os-stop' ? 'ACTIVE' : 'SHUTOFF';
  if (server.status !== wanted) {
    return {
      status: 409,
      body: {
        conflictingRequest: {
          code: 409,
          message: `Cannot '${action === 'os-stop' ? 'stop' : 'start'}' instance ${id} while it is in vm_state ${String(server.status).toLowerCase()}`,
        },
      },
    };
  }
  server.status = action === 'os-stop' ? 'SHUTOFF' : 'ACTIVE';
  return { status: 202 };
}

let stub: Stub;
let deleted: RecentlyDeleted;
beforeAll(async () => {
  stub = await startStub(nova);
});
afterAll(() => stub.close());
beforeEach(() => {
  servers = new Map(['a', 'b', 'c'].map((id) => [id, novaServer(id)]));
  deletedIds = new Set(['long-gone']);
  deleted = new RecentlyDeleted();
  stub.handle(nova);
  stub.requests.length = 0;
});

function context(settings: Partial<OpenStackSettings> = {}): SessionContext {
  return stubContext(stub, settings, deleted);
}

describe('terminate', () => {
  it('deletes each server, and succeeds again for servers it deleted', async () => {
    await terminate(context(), ['a', 'b'], undefined);
    expect([...servers.keys()]).toEqual(['c']);
    expect(stub.count('DELETE', /\/servers\//)).toBe(2);
    stub.requests.length = 0;
    await terminate(context(), ['a', 'b'], undefined);
    expect(stub.count('DELETE', /\/servers\//)).toBe(0);
    // Remembered: no changes-since listing was needed.
    expect(stub.count('GET', '/compute/v2.1/servers')).toBe(0);
  });

  it('succeeds for a server deleted elsewhere, which Nova shows with changes-since', async () => {
    await terminate(context(), ['long-gone'], undefined);
    expect(stub.requests.find((r) => r.path === '/compute/v2.1/servers')?.query.get('changes-since')).toBe(
      '1970-01-01T00:00:00Z',
    );
  });

  it('fails NOT_FOUND for an id Nova never knew, before deleting anything', async () => {
    await expect(terminate(context(), ['a', 'never'], undefined)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('Server never does not exist'),
    });
    expect(servers.has('a')).toBe(true);
    expect(stub.count('DELETE', /\/servers\//)).toBe(0);
  });

  it('looks for several unknown ids in one listing, and names them all', async () => {
    await expect(terminate(context(), ['x', 'long-gone', 'y'], undefined)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('Servers x, y do not exist'),
    });
    expect(stub.count('GET', '/compute/v2.1/servers')).toBe(1);
  });

  it('leaves alone a server Nova shows as deleted', async () => {
    servers.set('soft', novaServer('soft', { status: 'SOFT_DELETED' }));
    await terminate(context(), ['soft'], undefined);
    expect(stub.count('DELETE', /\/servers\//)).toBe(0);
  });
});

describe('stop and start', () => {
  it('acts only on servers not already there', async () => {
    servers.set('b', novaServer('b', { status: 'SHUTOFF' }));
    servers.set('c', novaServer('c', { status: 'ACTIVE', 'OS-EXT-STS:task_state': 'powering-off' }));
    await stop(context(), ['a', 'b', 'c'], undefined);
    expect(stub.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.json])).toEqual([
      ['/compute/v2.1/servers/a/action', { 'os-stop': null }],
    ]);
    await start(context(), ['a', 'b'], undefined);
    expect(servers.get('a')?.status).toBe('ACTIVE');
    expect(servers.get('b')?.status).toBe('ACTIVE');
  });

  it('turns a 409 for a server in the wrong state into INVALID_REQUEST quoting Nova', async () => {
    servers.set('a', novaServer('a', { status: 'BUILD' }));
    await expect(stop(context(), ['a'], undefined)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(
        "Cannot stop server a while it is BUILD: Nova server-action answered 409 conflictingRequest: Cannot 'stop' instance a while it is in vm_state build",
      ),
    });
  });

  it('fails NOT_FOUND for an unknown id and INVALID_REQUEST for a deleted one', async () => {
    await expect(start(context(), ['never'], undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await terminate(context(), ['a'], undefined);
    await expect(start(context(), ['a'], undefined)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'Cannot start server a: terminated.',
    });
  });
});
