import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachFloatingIp, releaseFloatingIps } from './floating-ips.js';
import {
  novaServer,
  type Stub,
  type StubAnswer,
  type StubRequest,
  startStub,
  stubClient,
} from './testing/stub.js';

const EXTERNAL = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c62';
let ports: { id: string; network_id: string; device_id: string }[];
let ips: { id: string; floating_ip_address: string; port_id: string | null; floating_network_id: string }[];
let portAppearsAfter: number;
let serverStatus: string;
let loseCreate: boolean;

function neutron(request: StubRequest): StubAnswer {
  if (request.path === '/network/v2.0/ports') {
    if (portAppearsAfter-- > 0) return { body: { ports: [] } };
    return { body: { ports: ports.filter((p) => p.device_id === request.query.get('device_id')) } };
  }
  if (request.path === '/network/v2.0/floatingips' && request.method === 'GET') {
    return { body: { floatingips: ips.filter((ip) => ip.port_id === request.query.get('port_id')) } };
  }
  if (request.path === '/network/v2.0/floatingips' && request.method === 'POST') {
    const { floatingip } = request.json as { floatingip: { floating_network_id: string; port_id: string } };
    const ip = {
      id: `fip-${ips.length + 1}`,
      floating_ip_address: `203.0.113.${ips.length + 1}`,
      ...floatingip,
    };
    ips.push(ip);
    if (loseCreate) return { status: 502, body: 'Bad Gateway' };
    return { status: 201, body: { floatingip: ip } };
  }
  const deleting = /^\/network\/v2\.0\/floatingips\/(.+)$/.exec(request.path);
  if (deleting && request.method === 'DELETE') {
    const before = ips.length;
    ips = ips.filter((ip) => ip.id !== deleting[1]);
    return before === ips.length
      ? {
          status: 404,
          body: {
            NeutronError: {
              type: 'FloatingIPNotFound',
              message: 'Floating IP could not be found',
              detail: '',
            },
          },
        }
      : { status: 204 };
  }
  if (request.path.startsWith('/compute/v2.1/servers/'))
    return { body: { server: novaServer('s1', { status: serverStatus }) } };
  return { status: 404, body: 'no route' };
}

let stub: Stub;
beforeAll(async () => {
  stub = await startStub(neutron);
});
afterAll(() => stub.close());
beforeEach(() => {
  ports = [{ id: 'port-1', network_id: 'private-net', device_id: 's1' }];
  ips = [];
  portAppearsAfter = 0;
  serverStatus = 'BUILD';
  loseCreate = false;
  stub.requests.length = 0;
});

// The deadline only stops a test whose condition never comes; it is not what the tests check, so
// it is far above what a loaded machine needs for a few requests to the stub.
const wait = { intervalMs: 5, timeoutMs: 20_000 };

describe('floating IPs', () => {
  it('waits for the server port, then allocates on it from the external network', async () => {
    portAppearsAfter = 2;
    await attachFloatingIp(stubClient(stub), 's1', EXTERNAL, wait);
    expect(ips).toMatchObject([{ port_id: 'port-1', floating_network_id: EXTERNAL }]);
    expect(stub.requests.find((r) => r.method === 'POST')?.json).toEqual({
      floatingip: { floating_network_id: EXTERNAL, port_id: 'port-1' },
    });
    expect(stub.count('GET', '/network/v2.0/ports')).toBe(3);
  });

  it('does not allocate a second address for a port that has one', async () => {
    await attachFloatingIp(stubClient(stub), 's1', EXTERNAL, wait);
    await attachFloatingIp(stubClient(stub), 's1', EXTERNAL, wait);
    expect(ips).toHaveLength(1);
  });

  it('accepts an allocation whose answer was lost once the address is on the port', async () => {
    loseCreate = true;
    await attachFloatingIp(stubClient(stub), 's1', EXTERNAL, wait);
    expect(ips).toHaveLength(1);
    expect(stub.count('POST', '/network/v2.0/floatingips')).toBe(1);
  });

  it('releases the addresses on the server ports, and tolerates one already gone', async () => {
    await attachFloatingIp(stubClient(stub), 's1', EXTERNAL, wait);
    ips.push({
      id: 'other',
      floating_ip_address: '203.0.113.99',
      port_id: 'port-of-someone-else',
      floating_network_id: EXTERNAL,
    });
    await releaseFloatingIps(stubClient(stub), 's1');
    expect(ips.map((ip) => ip.id)).toEqual(['other']);
    await releaseFloatingIps(stubClient(stub), 's1');
  });
});
