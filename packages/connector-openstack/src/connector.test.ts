import { createInstance, type FieldValues, silentLogger } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenStackConnector, keystoneAccess } from './connector.js';
import definition from './index.js';
import { openStackSettings } from './parameters.js';
import { type Stub, startStub, testTransport } from './testing/stub.js';

const scopeOf = (json: unknown): unknown => (json as { auth?: { scope?: unknown } } | undefined)?.auth?.scope;
const PROJECT_ID = '0123456789abcdef0123456789abcdef';
let stub: Stub;

beforeAll(async () => {
  stub = await startStub((request) => {
    if (request.path === '/v3/auth/tokens') {
      return {
        status: 201,
        headers: { 'x-subject-token': 'tok-123456' },
        body: {
          token: {
            expires_at: '2099-01-01T00:00:00Z',
            issued_at: '2098-12-31T23:00:00Z',
            project: { id: PROJECT_ID, name: 'demo' },
            catalog: [
              {
                type: 'compute',
                name: 'nova',
                endpoints: [
                  { interface: 'public', region_id: 'RegionTwo', url: `${stub.url}/two/v2.1/${PROJECT_ID}` },
                ],
              },
              {
                type: 'compute',
                name: 'other',
                endpoints: [
                  { interface: 'public', region_id: 'RegionTwo', url: `${stub.url}/elsewhere/v2.1` },
                ],
              },
            ],
          },
        },
      };
    }
    return { body: { flavors: [{ id: '1', name: 'm1.tiny' }] } };
  });
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

const parameters = (extra: Record<string, unknown> = {}): FieldValues =>
  ({
    endpoint: `${stub.url}/v3`,
    'service.region': 'RegionTwo',
    'service.type': 'compute',
    'service.name': 'nova',
    'floating.ips': false,
    ...extra,
  }) as FieldValues;

describe('keystoneAccess', () => {
  it('scopes by project name in the domain, and finds compute by region and service name', async () => {
    const access = keystoneAccess({
      parameters: parameters(),
      credentials: { username: 'alice', password: 'pw-secret', project: 'demo', domain: 'Default' },
      settings: openStackSettings(parameters()),
      http: testTransport(),
      logger: silentLogger,
    });
    expect(await access.endpoints.endpoint('compute')).toBe(`${stub.url}/two/v2.1/${PROJECT_ID}`);
    expect(scopeOf(stub.requests[0]?.json)).toEqual({
      project: { name: 'demo', domain: { name: 'Default' } },
    });
    expect(access.owner).toBe(`alice@Default/demo@${stub.url}/v3`);
    expect(access.authenticator.secrets).toEqual(['pw-secret']);
  });

  it('scopes by project id when the project is written as a Keystone id', async () => {
    const access = keystoneAccess({
      parameters: parameters(),
      credentials: { username: 'alice', password: 'pw', project: PROJECT_ID, domain: 'Default' },
      settings: openStackSettings(parameters()),
      http: testTransport(),
      logger: silentLogger,
    });
    await access.endpoints.endpoint('compute');
    expect(scopeOf(stub.requests[0]?.json)).toEqual({
      project: { id: PROJECT_ID },
    });
  });
});

describe('createOpenStackConnector', () => {
  it('makes the default definition: openstack, its parameters, credentials, capabilities and states', () => {
    expect(definition).toMatchObject({ name: 'openstack', cloud: 'OpenStack', contract: 1 });
    expect(definition.capabilities).toEqual({
      stopStart: true,
      zones: true,
      sshKeys: true,
      userData: true,
      tags: true,
    });
    expect(definition.states.ACTIVE).toBe('running');
  });

  it('lets a derived connector replace names, specs, settings and access', async () => {
    const seen: string[] = [];
    const derived = createOpenStackConnector({
      name: 'derived',
      cloud: 'Derived Cloud',
      parameters: [{ key: 'url', label: 'URL', description: 'Where.', type: 'url', required: true }],
      credentials: [
        { key: 'token', label: 'Token', description: 'A token.', type: 'secret', required: true },
      ],
      settings: () => ({ networks: {}, floatingIps: false, microversion: '2.1' }),
      access: ({ parameters: values, credentials }) => {
        seen.push(String(values.url), credentials.token ?? '');
        return {
          authenticator: {
            secrets: [],
            authorize: async () => ({ headers: { 'x-auth-token': credentials.token ?? '' }, secrets: [] }),
            rejected: () => false,
          },
          endpoints: { endpoint: async () => `${values.url}/compute/v2.1` },
          owner: 'me',
        };
      },
    });
    expect(derived.name).toBe('derived');
    const instance = await createInstance(derived, { parameters: { url: stub.url } });
    const session = await instance.session({ token: 'fixed-token-value' });
    expect((await session.listSizes()).map((size) => size.id)).toEqual(['1']);
    expect(seen).toEqual([stub.url, 'fixed-token-value']);
    expect(stub.requests[0]?.headers['x-openstack-nova-api-version']).toBe('2.1');
    await instance.close();
  });
});
