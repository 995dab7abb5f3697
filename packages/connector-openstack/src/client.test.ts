import { createHttpTransport } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Authenticator, Authorization, SessionAccess } from './access.js';
import { OpenStackClient } from './client.js';
import { itemNotFound, type Stub, startStub, stubClient, TEST_TOKEN } from './test-stub.js';

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
      [500, { computeFault: { code: 500, message: 'Unexpected API Error.' } }, 'CLOUD_UNAVAILABLE'],
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
