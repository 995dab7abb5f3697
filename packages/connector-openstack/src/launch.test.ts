import { randomUUID } from 'node:crypto';
import type { LaunchRequest } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionContext } from './context.js';
import { encodeUserData, launch } from './launch.js';
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

const IMAGE = '70a599e0-31e7-49b7-b260-868f441e862b';

/** A tiny Nova + Glance: servers created by POST, listed with the name filter, shown by id. */
class FakeNova {
  servers: Record<string, unknown>[] = [];
  /** Answers the next POST /servers with this instead of creating; `lose` creates, then resets. */
  nextCreate: StubAnswer | 'lose' | undefined;

  handle = (request: StubRequest): StubAnswer | Promise<StubAnswer> => {
    const path = request.path.replace('/compute/v2.1', '');
    if (request.path === '/image/v2/images') {
      const name = request.query.get('name');
      return {
        body: {
          images: [{ id: IMAGE, name: 'Ubuntu 24.04', status: 'active' }].filter(
            (i) => name === null || i.name === name,
          ),
        },
      };
    }
    if (path === '/flavors/detail')
      return { body: { flavors: [{ id: '2', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 }] } };
    if (path === '/servers/detail') {
      const name = request.query.get('name');
      return {
        body: { servers: this.servers.filter((s) => name === null || String(s.name).includes(name)) },
      };
    }
    if (path === '/servers' && request.method === 'POST') {
      const planned = this.nextCreate;
      this.nextCreate = undefined;
      if (planned !== undefined && planned !== 'lose') return planned;
      const { server } = request.json as { server: Record<string, unknown> };
      const id = randomUUID();
      this.servers.push(
        novaServer(id, {
          name: server.name,
          status: 'BUILD',
          'OS-EXT-STS:task_state': 'spawning',
          metadata: server.metadata,
          flavor: { original_name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
          addresses: {},
        }),
      );
      if (planned === 'lose') return { status: 504, body: '<html><body>Gateway Time-out</body></html>' };
      return {
        status: 202,
        body: {
          server: { id, links: [], adminPass: 'Zr8mZ5cE6bUp', security_groups: [{ name: 'default' }] },
        },
      };
    }
    const shown = /^\/servers\/([^/]+)$/.exec(path);
    if (shown && request.method === 'GET') {
      const server = this.servers.find((s) => s.id === shown[1]);
      return server ? { body: { server } } : itemNotFound(`Instance ${shown[1]}`);
    }
    return {
      status: 404,
      body: { itemNotFound: { code: 404, message: `no route ${request.method} ${request.path}` } },
    };
  };
}

let stub: Stub;
let nova: FakeNova;
beforeAll(async () => {
  stub = await startStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  nova = new FakeNova();
  stub.handle(nova.handle);
  stub.requests.length = 0;
});

function context(settings: Partial<OpenStackSettings> = {}): SessionContext {
  return stubContext(stub, settings);
}

function request(extra: Partial<LaunchRequest> = {}): LaunchRequest {
  return { name: 'web', image: IMAGE, size: '2', idempotencyKey: randomUUID(), ...extra };
}

const creates = () => stub.count('POST', '/compute/v2.1/servers');

describe('launch', () => {
  it('creates the server with what Nova needs, metadata carrying tags and the idempotency key', async () => {
    const launched = request({ zone: 'nova', tags: { env: 'test' }, userData: '#!/bin/sh\necho hi\n' });
    const [vm] = await launch(context(), launched, undefined);
    const post = stub.requests.find((r) => r.method === 'POST');
    expect(post?.json).toEqual({
      server: {
        name: 'web',
        imageRef: IMAGE,
        flavorRef: '2',
        networks: 'auto',
        availability_zone: 'nova',
        user_data: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
        metadata: {
          env: 'test',
          'slipstream-idempotency-key': launched.idempotencyKey,
          'slipstream-launch-index': '1',
        },
      },
    });
    expect(vm).toMatchObject({
      name: 'web',
      state: 'pending',
      rawState: 'BUILD',
      size: '2',
      image: IMAGE,
      tags: { env: 'test' },
    });
  });

  it('returns the same servers when launched again with the key, creating nothing', async () => {
    const launched = request({ count: 2 });
    const first = await launch(context(), launched, undefined);
    expect(first.map((vm) => vm.name)).toEqual(['web-1', 'web-2']);
    const again = await launch(context(), launched, undefined);
    expect(again.map((vm) => vm.id)).toEqual(first.map((vm) => vm.id));
    expect(creates()).toBe(2);
    // The name filter narrowed the lookups.
    expect(
      stub.requests
        .filter((r) => r.path.endsWith('/servers/detail'))
        .every((r) => r.query.get('name') === 'web'),
    ).toBe(true);
  });

  it('finds a server whose create answer was lost, instead of creating another', async () => {
    const launched = request();
    nova.nextCreate = 'lose';
    const [vm] = await launch(context(), launched, undefined);
    expect(nova.servers).toHaveLength(1);
    expect(vm?.id).toBe(nova.servers[0]?.id);
    expect(creates()).toBe(1);
  });

  it('reports a lost create that made nothing, and creates only what is missing afterwards', async () => {
    const launched = request({ count: 2 });
    nova.nextCreate = {
      status: 403,
      body: {
        forbidden: {
          code: 403,
          message: 'Quota exceeded for instances: Requested 1, but already used 1 of 1 instances',
        },
      },
    };
    await expect(launch(context(), launched, undefined)).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(nova.servers).toHaveLength(1);
    const vms = await launch(context(), launched, undefined);
    expect(vms.map((vm) => vm.name)).toEqual(['web-1', 'web-2']);
    expect(nova.servers).toHaveLength(2);
  });

  it('refuses a key already used by a launch of other servers', async () => {
    const launched = request();
    await launch(context(), launched, undefined);
    await expect(launch(context(), { ...launched, count: 2 }, undefined)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('was already used by another launch'),
    });
  });

  it('resolves image and flavor names, and refuses unknown ones listing what exists', async () => {
    await launch(context(), request({ image: 'Ubuntu 24.04', size: 'm1.small' }), undefined);
    expect(stub.requests.find((r) => r.method === 'POST')?.json).toMatchObject({
      server: { imageRef: IMAGE, flavorRef: '2' },
    });
    await expect(launch(context(), request({ size: 'm9.huge' }), undefined)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('Flavors: m1.small (2)'),
    });
    await expect(launch(context(), request({ image: 'Windows' }), undefined)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('Image "Windows" is neither an image id nor the name'),
    });
  });

  it('replaces a server of the key that is being deleted', async () => {
    const launched = request();
    const [first] = await launch(context(), launched, undefined);
    const record = nova.servers.find((s) => s.id === first?.id);
    if (record) record['OS-EXT-STS:task_state'] = 'deleting';
    const [second] = await launch(context(), launched, undefined);
    expect(second?.id).not.toBe(first?.id);
  });
});

describe('launch helpers', () => {
  it("encodes user data in base64 within Nova's limit", () => {
    expect(encodeUserData(undefined)).toBeUndefined();
    expect(encodeUserData('')).toBeUndefined();
    expect(encodeUserData('héllo')).toBe(Buffer.from('héllo').toString('base64'));
    expect(() => encodeUserData('x'.repeat(50_000))).toThrow(/at most 65535 characters of base64/);
  });
});
