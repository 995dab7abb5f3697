import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENSTACK_IMAGES } from '../catalog.js';
import { type RunningOpenStack, startOpenStack } from '../index.js';
import { TestSession } from '../test-client.js';
import { PRIVATE_NETWORK, PUBLIC_NETWORK } from './networks.js';

describe('Neutron networks, ports and floating IPs', () => {
  let sim: RunningOpenStack;
  let os: TestSession;
  let serverId: string;

  beforeAll(async () => {
    // No boot or halt time: servers run at once, and a delete completes at once.
    sim = await startOpenStack({ bootDelayMs: 0, haltDelayMs: 0 });
    os = await new TestSession(sim).login();
    const created = await os.compute('/servers', {
      method: 'POST',
      version: '2.47',
      body: { server: { name: 'fip', imageRef: OPENSTACK_IMAGES[0]?.id, flavorRef: '1', networks: 'auto' } },
    });
    serverId = created.body.server.id;
  });
  afterAll(() => sim.close());

  it('lists networks with attribute filters and picks fields', async () => {
    const all = await os.network('/v2.0/networks');
    expect(all.body.networks.map((network: { name: string }) => network.name)).toEqual(['private', 'public']);
    const external = await os.network('/v2.0/networks?router:external=true');
    expect(external.body.networks).toEqual([
      expect.objectContaining({
        id: PUBLIC_NETWORK.id,
        name: 'public',
        'router:external': true,
        status: 'ACTIVE',
      }),
    ]);
    const named = await os.network('/v2.0/networks?name=private&fields=id&fields=name');
    expect(named.body.networks).toEqual([{ id: PRIVATE_NETWORK.id, name: 'private' }]);
    const invalid = await os.network('/v2.0/networks?colour=red');
    expect(invalid.body).toEqual({
      NeutronError: {
        type: 'HTTPBadRequest',
        message: '[colour] is invalid attribute for filtering',
        detail: '',
      },
    });
    const missing = await os.network('/v2.0/networks/00000000-0000-4000-8000-000000000000');
    expect(missing.body.NeutronError).toMatchObject({ type: 'NetworkNotFound' });
    expect(
      (await os.network('/v2.0')).body.resources.map((r: { collection: string }) => r.collection),
    ).toContain('floatingips');
  });

  it("lists a server's ports and binds a floating IP that Nova then shows", async () => {
    const ports = await os.network(`/v2.0/ports?device_id=${serverId}`);
    expect(ports.body.ports).toHaveLength(1);
    const [port] = ports.body.ports;
    expect(port).toMatchObject({
      network_id: PRIVATE_NETWORK.id,
      device_owner: 'compute:nova',
      status: 'ACTIVE',
    });
    const created = await os.network('/v2.0/floatingips', {
      method: 'POST',
      body: { floatingip: { floating_network_id: PUBLIC_NETWORK.id, port_id: port.id } },
    });
    expect(created.status).toBe(201);
    const fip = created.body.floatingip;
    expect(fip).toMatchObject({
      floating_network_id: PUBLIC_NETWORK.id,
      port_id: port.id,
      fixed_ip_address: port.fixed_ips[0].ip_address,
      status: 'ACTIVE',
      project_id: sim.user.projectId,
    });
    expect(fip.floating_ip_address).toBe('198.19.255.254');
    const server = (await os.compute(`/servers/${serverId}`)).body.server;
    expect(
      server.addresses.private.map((address: { addr: string; 'OS-EXT-IPS:type': string }) => [
        address.addr,
        address['OS-EXT-IPS:type'],
      ]),
    ).toEqual([
      [port.fixed_ips[0].ip_address, 'fixed'],
      ['198.19.255.254', 'floating'],
    ]);
    const byPort = await os.network(`/v2.0/floatingips?port_id=${port.id}`);
    expect(byPort.body.floatingips.map((ip: { id: string }) => ip.id)).toEqual([fip.id]);
    const again = await os.network('/v2.0/floatingips', {
      method: 'POST',
      body: { floatingip: { floating_network_id: PUBLIC_NETWORK.id, port_id: port.id } },
    });
    expect(again.status).toBe(409);
    expect(again.body.NeutronError.type).toBe('FloatingIPPortAlreadyAssociated');
    const unbound = await os.network(`/v2.0/floatingips/${fip.id}`, {
      method: 'PUT',
      body: { floatingip: { port_id: null } },
    });
    expect(unbound.body.floatingip).toMatchObject({ port_id: null, fixed_ip_address: null, status: 'DOWN' });
    expect((await os.compute(`/servers/${serverId}`)).body.server.addresses.private).toHaveLength(1);
    expect((await os.network(`/v2.0/floatingips/${fip.id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await os.network(`/v2.0/floatingips/${fip.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.NeutronError.type).toBe('FloatingIPNotFound');
  });

  it('refuses floating IPs from a network that is not external, or for unknown ports', async () => {
    const internal = await os.network('/v2.0/floatingips', {
      method: 'POST',
      body: { floatingip: { floating_network_id: PRIVATE_NETWORK.id } },
    });
    expect(internal.status).toBe(400);
    expect(internal.body.NeutronError.message).toBe(
      `Bad floatingip request: Network ${PRIVATE_NETWORK.id} is not a valid external network.`,
    );
    const noPort = await os.network('/v2.0/floatingips', {
      method: 'POST',
      body: {
        floatingip: {
          floating_network_id: PUBLIC_NETWORK.id,
          port_id: '00000000-0000-4000-8000-000000000000',
        },
      },
    });
    expect(noPort.status).toBe(404);
    expect(noPort.body.NeutronError.type).toBe('PortNotFound');
    const missing = await os.network('/v2.0/floatingips', { method: 'POST', body: { floatingip: {} } });
    expect(missing.body.NeutronError.message).toBe(
      "Failed to parse request. Required attribute 'floating_network_id' not specified",
    );
  });

  it("unbinds a floating IP when its server is deleted, as Neutron deletes the server's ports", async () => {
    const [port] = (await os.network(`/v2.0/ports?device_id=${serverId}`)).body.ports;
    const fip = (
      await os.network('/v2.0/floatingips', {
        method: 'POST',
        body: { floatingip: { floating_network_id: PUBLIC_NETWORK.id, port_id: port.id } },
      })
    ).body.floatingip;
    expect((await os.compute(`/servers/${serverId}`, { method: 'DELETE' })).status).toBe(204);
    const after = await os.network(`/v2.0/floatingips/${fip.id}`);
    expect(after.body.floatingip).toMatchObject({ port_id: null, status: 'DOWN' });
  });
});
