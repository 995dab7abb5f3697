import { isAmbiguousFailure } from '@slipstream/connector-core';
import type { OpenStackClient } from './client.js';
import { serverPorts } from './networks.js';
import { type PortWait, waitForPort } from './waits.js';
import { listOf } from './wire.js';

/**
 * Floating IPs through Neutron v2.0 (api-ref network v2, "Floating IPs"), for instances with
 * `floating.ips` on: a launched server gets one from the external network on its port, and
 * terminating the server releases it (Neutron only disassociates a floating IP when its port goes,
 * and the project would keep paying for it). Both steps look before they act, so that running
 * them again — a retried launch, a retried terminate — neither allocates a second address nor
 * fails on a released one.
 */

interface NeutronFloatingIp {
  readonly id: string;
  readonly floating_ip_address?: string;
  readonly port_id?: string | null;
}

async function floatingIpsOf(
  client: OpenStackClient,
  portId: string,
  signal?: AbortSignal,
): Promise<NeutronFloatingIp[]> {
  const data = await client.json<unknown>({
    service: 'network',
    operation: 'list-floating-ips',
    method: 'GET',
    path: '/floatingips',
    query: { port_id: portId },
    signal,
  });
  // Checked here too: a port filter the cloud ignored must not make us release others' addresses.
  return listOf<NeutronFloatingIp>(data, 'floatingips', 'Neutron', 'list-floating-ips').filter(
    (ip) => ip.port_id === portId,
  );
}

/** Gives the server a floating IP from `externalNetwork`, unless its port already has one. */
export async function attachFloatingIp(
  client: OpenStackClient,
  serverId: string,
  externalNetwork: string,
  wait: PortWait,
): Promise<void> {
  const port = await waitForPort(client, serverId, externalNetwork, wait);
  if ((await floatingIpsOf(client, port.id, wait.signal)).length > 0) return;
  try {
    await client.json<unknown>({
      service: 'network',
      operation: 'create-floating-ip',
      method: 'POST',
      path: '/floatingips',
      body: { floatingip: { floating_network_id: externalNetwork, port_id: port.id } },
      signal: wait.signal,
    });
  } catch (error) {
    // An answer lost after Neutron allocated the address: it is on the port, which is all we want.
    if (isAmbiguousFailure(error) && (await floatingIpsOf(client, port.id, wait.signal)).length > 0) return;
    throw error;
  }
}

/** Releases every floating IP on the server's ports. */
export async function releaseFloatingIps(
  client: OpenStackClient,
  serverId: string,
  signal?: AbortSignal,
): Promise<void> {
  for (const port of await serverPorts(client, serverId, signal)) {
    for (const ip of await floatingIpsOf(client, port.id, signal)) {
      await client.call<unknown>({
        service: 'network',
        operation: 'delete-floating-ip',
        method: 'DELETE',
        path: `/floatingips/${encodeURIComponent(ip.id)}`,
        signal,
        // Released meanwhile: that is what we wanted.
        acceptStatus: [404],
      });
    }
  }
}
