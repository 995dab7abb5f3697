import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isUuid, NetworkDirectory } from './networks.js';
import { NOVA_MICROVERSION, type OpenStackSettings } from './parameters.js';
import { type Stub, startStub, stubClient } from './testing/stub.js';

const PRIVATE_ID = '3b5bd4e6-2d6a-4f6e-9b1e-0c3a8e6c1a11';
const PUBLIC_ID = 'a1e5c4d2-7f3b-4c2e-8d9a-5b6c7d8e9f00';
const NETWORKS = [
  { id: PRIVATE_ID, name: 'private', 'router:external': false },
  { id: PUBLIC_ID, name: 'public', 'router:external': true },
  { id: 'd0d0d0d0-0000-4000-8000-000000000001', name: 'twin', 'router:external': false },
  { id: 'd0d0d0d0-0000-4000-8000-000000000002', name: 'twin', 'router:external': false },
];

let stub: Stub;
beforeAll(async () => {
  stub = await startStub((request) => {
    const name = request.query.get('name');
    const external = request.query.get('router:external');
    return {
      body: {
        networks: NETWORKS.filter(
          (n) =>
            (name === null || n.name === name) &&
            (external === null || String(n['router:external']) === external),
        ),
      },
    };
  });
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

const directory = (networks: OpenStackSettings['networks'], floatingIps = false) =>
  new NetworkDirectory(stubClient(stub), { networks, floatingIps, microversion: NOVA_MICROVERSION });

describe('NetworkDirectory', () => {
  it('asks Nova for "auto" when no network is set', async () => {
    expect(await directory({}).serverNetworks()).toBe('auto');
    expect(stub.requests).toHaveLength(0);
  });

  it('attaches the private and public networks by id, looking names up once in Neutron', async () => {
    const networks = directory({ private: 'private', public: PUBLIC_ID });
    expect(await networks.serverNetworks()).toEqual([{ uuid: PRIVATE_ID }, { uuid: PUBLIC_ID }]);
    expect(await networks.serverNetworks()).toEqual([{ uuid: PRIVATE_ID }, { uuid: PUBLIC_ID }]);
    expect(stub.requests.map((r) => `${r.path}?${r.query}`)).toEqual(['/network/v2.0/networks?name=private']);
  });

  it('with floating IPs, attaches only the private network and allocates from the public one', async () => {
    const networks = directory({ private: 'private', public: 'public' }, true);
    expect(await networks.serverNetworks()).toEqual([{ uuid: PRIVATE_ID }]);
    expect(await networks.floatingNetwork()).toBe(PUBLIC_ID);
    expect(await directory({}, true).floatingNetwork()).toBe(PUBLIC_ID);
    expect(stub.requests.at(-1)?.query.get('router:external')).toBe('true');
  });

  it('says which parameter names an unknown or ambiguous network', async () => {
    await expect(directory({ private: 'nowhere' }).serverNetworks()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(
        'Parameter "network.private" names network "nowhere", which this project cannot see',
      ),
    });
    await expect(directory({ public: 'twin' }).serverNetworks()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('2 networks have that name'),
    });
  });

  it('tells ids from names', () => {
    expect(isUuid(PRIVATE_ID)).toBe(true);
    expect(isUuid(PRIVATE_ID.replaceAll('-', ''))).toBe(true);
    expect(isUuid('private')).toBe(false);
  });
});
