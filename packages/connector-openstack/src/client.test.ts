import { createHttpTransport } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Authenticator, Authorization, SessionAccess } from './access.js';
import { glanceNextPath, glancePages, novaList, OpenStackClient, PAGE_SIZE } from './client.js';
import { itemNotFound, type Stub, startStub, stubClient, TEST_TOKEN } from './testing/stub.js';

let stub: Stub;
beforeAll(async () => {
  stub = await startStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

/** An authenticator handing out token-1, token-2, ... and counting refusals. */
function countingAuthenticator(): Authenticator & { rejections: number } {
  let issued = 1;
  const auth = {
    rejections: 0,
    secrets: ['the-password'],
    authorize: async (): Promise<Authorization> => ({
      headers: { 'x-auth-token': `token-${issued}` },
      secrets: [`token-${issued}`],
    }),
    rejected: () => {
      auth.rejections++;
      issued++;
      return true;
    },
  };
  return auth;
}

function clientWith(authenticator: Authenticator): OpenStackClient {
  const access: SessionAccess = {
    authenticator,
    endpoints: { endpoint: async () => `${stub.url}/compute/v2.1/p1` },
    owner: 'o',
  };
  return new OpenStackClient({ http: createHttpTransport({ retries: 0 }), access, microversion: '2.47' });
}

describe('OpenStackClient', () => {
  it('sends the token, the microversion in both headers, and the JSON body to the service root', async () => {
    stub.handle(() => ({ status: 202, body: { server: { id: 's1' } } }));
    const data = await stubClient(stub).json<{ server: { id: string } }>({
      service: 'compute',
      operation: 'create-server',
      method: 'POST',
      path: '/servers',
      query: { a: 'b c', skipped: undefined },
      body: { server: { name: 'x' } },
    });
    expect(data.server.id).toBe('s1');
    const [request] = stub.requests;
    expect(request?.path).toBe('/compute/v2.1/servers');
    expect(request?.query.get('a')).toBe('b c');
    expect(request?.query.has('skipped')).toBe(false);
    expect(request?.headers['x-auth-token']).toBe(TEST_TOKEN);
    expect(request?.headers['x-openstack-nova-api-version']).toBe('2.47');
    expect(request?.headers['openstack-api-version']).toBe('compute 2.47');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({ server: { name: 'x' } });
  });

  it('sends no microversion to Glance, and versions the image root', async () => {
    stub.handle(() => ({ body: { images: [] } }));
    await stubClient(stub).json({
      service: 'image',
      operation: 'list-images',
      method: 'GET',
      path: '/images',
    });
    expect(stub.requests[0]?.path).toBe('/image/v2/images');
    expect(stub.requests[0]?.headers['x-openstack-nova-api-version']).toBeUndefined();
  });

  it('authenticates again once after a 401, and re-sends the request', async () => {
    stub.handle((request) =>
      request.headers['x-auth-token'] === 'token-1'
        ? {
            status: 401,
            body: {
              error: {
                code: 401,
                title: 'Unauthorized',
                message: 'The request you have made requires authentication.',
              },
            },
          }
        : { status: 202, body: { server: { id: 's2' } } },
    );
    const authenticator = countingAuthenticator();
    const data = await clientWith(authenticator).json<{ server: { id: string } }>({
      service: 'compute',
      operation: 'create-server',
      method: 'POST',
      path: '/servers',
      body: {},
    });
    expect(data.server.id).toBe('s2');
    expect(authenticator.rejections).toBe(1);
    expect(stub.requests.map((r) => r.headers['x-auth-token'])).toEqual(['token-1', 'token-2']);
  });

  it('fails AUTH_FAILED when the fresh token is refused too, without a third try', async () => {
    stub.handle(() => ({
      status: 401,
      body: { error: { code: 401, title: 'Unauthorized', message: 'no token-2 for you' } },
    }));
    const authenticator = countingAuthenticator();
    const error = await clientWith(authenticator)
      .json({ service: 'compute', operation: 'list-servers-detail', method: 'GET', path: '/servers/detail' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
    expect(stub.requests).toHaveLength(2);
    // The token a service echoes is scrubbed.
    expect((error as Error).message).not.toContain('token-2');
  });

  it('authorizes every attempt afresh, and a 401 rejects the token of the attempt it answered', async () => {
    // token-1 meets a 503 the transport retries; token-2 is refused; token-3 is accepted.
    stub.handle((request) => {
      const token = request.headers['x-auth-token'];
      if (token === 'token-1') return { status: 503, body: 'Service Unavailable' };
      if (token === 'token-2') {
        return { status: 401, body: { error: { code: 401, title: 'Unauthorized', message: 'expired' } } };
      }
      return { body: { servers: [] } };
    });
    let issued = 0;
    const rejected: Authorization[] = [];
    const authenticator: Authenticator = {
      secrets: [],
      authorize: async () => {
        issued++;
        return { headers: { 'x-auth-token': `token-${issued}` }, secrets: [`token-${issued}`] };
      },
      rejected: (authorization) => {
        rejected.push(authorization);
        return true;
      },
    };
    const access: SessionAccess = {
      authenticator,
      endpoints: { endpoint: async () => `${stub.url}/compute/v2.1/p1` },
      owner: 'o',
    };
    const client = new OpenStackClient({
      http: createHttpTransport({ retries: 1, backoffBaseMs: 1, backoffMaxMs: 1 }),
      access,
      microversion: '2.47',
    });
    const data = await client.json<{ servers: unknown[] }>({
      service: 'compute',
      operation: 'list-servers-detail',
      method: 'GET',
      path: '/servers/detail',
    });
    expect(data.servers).toEqual([]);
    expect(stub.requests.map((r) => r.headers['x-auth-token'])).toEqual(['token-1', 'token-2', 'token-3']);
    expect(rejected.map((authorization) => authorization.headers['x-auth-token'])).toEqual(['token-2']);
  });

  it('does not re-send when the authenticator says nothing would change', async () => {
    stub.handle(() => ({
      status: 401,
      body: { error: { code: 401, title: 'Unauthorized', message: 'bad signature' } },
    }));
    await expect(
      stubClient(stub).json({
        service: 'compute',
        operation: 'show-server',
        method: 'GET',
        path: '/servers/x',
      }),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(stub.requests).toHaveLength(1);
  });

  it('answers accepted error statuses with their error instead of throwing', async () => {
    stub.handle(() => itemNotFound('Instance x'));
    const answer = await stubClient(stub).call({
      service: 'compute',
      operation: 'show-server',
      method: 'GET',
      path: '/servers/x',
      acceptStatus: [404],
    });
    expect(answer.status).toBe(404);
    expect(answer.data).toBeUndefined();
    expect(answer.error?.code).toBe('NOT_FOUND');
    expect(answer.error?.message).toBe(
      'Nova show-server answered 404 itemNotFound: Instance x could not be found.',
    );
  });

  it('maps each error answer to its code, quoting the service', async () => {
    const cases: [number, unknown, string][] = [
      [
        403,
        {
          forbidden: {
            code: 403,
            message: "Policy doesn't allow os_compute_api:servers:create to be performed.",
          },
        },
        'PERMISSION_DENIED',
      ],
      [
        403,
        {
          forbidden: {
            code: 403,
            message: 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances',
          },
        },
        'QUOTA_EXCEEDED',
      ],
      [404, { itemNotFound: { code: 404, message: 'Flavor x could not be found.' } }, 'NOT_FOUND'],
      [409, { conflictingRequest: { code: 409, message: "Cannot 'stop' instance" } }, 'INVALID_REQUEST'],
      [
        413,
        { overLimit: { code: 413, message: 'Maximum number of metadata items exceeds 128' } },
        'QUOTA_EXCEEDED',
      ],
      [400, { badRequest: { code: 400, message: 'Invalid flavorRef provided.' } }, 'INVALID_REQUEST'],
      [500, { computeFault: { code: 500, message: 'Unexpected API Error.' } }, 'CLOUD_ERROR'],
      [503, 'Service Unavailable', 'CLOUD_UNAVAILABLE'],
      [504, '<html><body>Gateway Time-out</body></html>', 'TIMEOUT'],
    ];
    for (const [status, body, code] of cases) {
      stub.handle(() => ({ status, body }));
      const error = await stubClient(stub, createHttpTransport({ retries: 0 }))
        .json({ service: 'compute', operation: 'create-server', method: 'POST', path: '/servers', body: {} })
        .catch((caught: unknown) => caught);
      expect(error, `${status}`).toMatchObject({ code, status });
    }
  });

  it('fails CLOUD_ERROR on a 2xx without the body it needs, and on a 3xx', async () => {
    stub.handle(() => ({ status: 204 }));
    await expect(
      stubClient(stub).json({
        service: 'compute',
        operation: 'show-server',
        method: 'GET',
        path: '/servers/x',
      }),
    ).rejects.toMatchObject({ code: 'CLOUD_ERROR' });
    stub.handle(() => ({ status: 302, headers: { location: 'http://elsewhere' } }));
    await expect(
      stubClient(stub).call({
        service: 'compute',
        operation: 'show-server',
        method: 'GET',
        path: '/servers/x',
      }),
    ).rejects.toMatchObject({ code: 'CLOUD_ERROR', status: 302 });
  });
});

const ids = Array.from({ length: 7 }, (_, i) => `id-${i + 1}`);

/** Nova with osapi_max_limit = 3: pages of 3 and a next link while there may be more. */
function novaPaging(path: string, marker: string | null) {
  const start = marker === null ? 0 : ids.indexOf(marker) + 1;
  const page = ids.slice(start, start + 3);
  const last = page.at(-1);
  return {
    body: {
      servers: page.map((id) => ({ id })),
      ...(page.length === 3 && last
        ? {
            servers_links: [
              { rel: 'next', href: `http://internal-host:8774/v2.1${path}?limit=3&marker=${last}` },
            ],
          }
        : {}),
    },
  };
}

describe('novaList', () => {
  it('follows the next links with markers until Nova gives none, asking for full pages', async () => {
    stub.handle((request) => novaPaging('/servers/detail', request.query.get('marker')));
    const all = await novaList<{ id: string }>(stubClient(stub), {
      operation: 'list-servers-detail',
      path: '/servers/detail',
      key: 'servers',
      query: { name: 'web' },
    });
    expect(all.map((s) => s.id)).toEqual(ids);
    expect(stub.requests.map((r) => r.query.get('marker'))).toEqual([null, 'id-3', 'id-6']);
    expect(
      stub.requests.every((r) => r.query.get('limit') === String(PAGE_SIZE) && r.query.get('name') === 'web'),
    ).toBe(true);
    // Only the marker is taken from Nova's link, never its host.
    expect(stub.requests.every((r) => r.path === '/compute/v2.1/servers/detail')).toBe(true);
  });

  it('reads numeric ids as strings, and pages on the last one when the next link has no marker', async () => {
    stub.handle((request) =>
      request.query.get('marker') === null
        ? {
            body: {
              servers: [{ id: 1 }, { id: 2 }],
              servers_links: [{ rel: 'next', href: '/servers/detail' }],
            },
          }
        : { body: { servers: [{ id: 3 }] } },
    );
    const all = await novaList<{ id: string }>(stubClient(stub), {
      operation: 'list-servers-detail',
      path: '/servers/detail',
      key: 'servers',
    });
    expect(all.map((s) => s.id)).toEqual(['1', '2', '3']);
    expect(stub.requests.map((r) => r.query.get('marker'))).toEqual([null, '2']);
  });

  it('stops on an empty page and refuses a next link that repeats', async () => {
    stub.handle(() => ({
      body: { servers: [], servers_links: [{ rel: 'next', href: '/servers?marker=x' }] },
    }));
    const client = stubClient(stub);
    const listing = { operation: 'list-servers-detail', path: '/servers/detail', key: 'servers' };
    expect(await novaList(client, listing)).toEqual([]);
    stub.handle(() => ({
      body: { servers: [{ id: 'a' }], servers_links: [{ rel: 'next', href: '/servers?marker=a' }] },
    }));
    await expect(novaList(client, listing)).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('repeats marker a'),
    });
  });

  it('fails CLOUD_ERROR naming the operation on a malformed list', async () => {
    stub.handle(() => ({ body: { servers: [{ name: 'no id' }] } }));
    await expect(
      novaList(stubClient(stub), {
        operation: 'list-servers-detail',
        path: '/servers/detail',
        key: 'servers',
      }),
    ).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('Nova list-servers-detail'),
    });
  });
});

describe('Glance paging', () => {
  it('reads next links below the unversioned root, relative or absolute', () => {
    expect(glanceNextPath('/v2/images?marker=abc&limit=2')).toBe('/images?marker=abc&limit=2');
    expect(glanceNextPath('http://glance:9292/v2/images?marker=abc')).toBe('/images?marker=abc');
    expect(glanceNextPath('/images?marker=abc')).toBeUndefined();
  });

  it('follows next until there is none', async () => {
    stub.handle((request) => {
      const marker = request.query.get('marker');
      const start = marker === null ? 0 : ids.indexOf(marker) + 1;
      const page = ids.slice(start, start + 2);
      const more = start + 2 < ids.length;
      return {
        body: {
          images: page.map((id) => ({ id, status: 'active' })),
          first: '/v2/images?limit=2',
          schema: '/v2/schemas/images',
          ...(more ? { next: `/v2/images?marker=${page.at(-1)}&limit=2` } : {}),
        },
      };
    });
    const seen: string[] = [];
    for await (const page of glancePages<{ id: string }>(stubClient(stub), {
      operation: 'list-images',
      key: 'images',
      path: '/images',
    })) {
      seen.push(...page.map((image) => image.id));
    }
    expect(seen).toEqual(ids);
    expect(stub.requests.map((r) => `${r.path}?${r.query}`)).toEqual([
      `/image/v2/images?limit=${PAGE_SIZE}`,
      '/image/v2/images?marker=id-2&limit=2',
      '/image/v2/images?marker=id-4&limit=2',
      '/image/v2/images?marker=id-6&limit=2',
    ]);
  });
});
