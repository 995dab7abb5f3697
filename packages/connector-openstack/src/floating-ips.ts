import { ConnectorError, isAmbiguousFailure, sleep } from '@slipstream/connector-core';
import type { OpenStackClient } from './client.js';
import { getServer } from './vm.js';
import { listOf } from './wire.js';

/**
 * Floating IPs through Neutron v2.0 (api-ref network v2, "Floating IPs"), for instances with
 * `floating.ips` on: a launched server gets one from the external network on its port, and
 * terminating the server releases it (Neutron only disassociates a floating IP when its port goes,
 * and the project would keep paying for it). Both steps look before they act, so that running
 * them again — a retried launch, a retried terminate — neither allocates a second address nor
 * fails on a released one.
 */

interface NeutronPort {
  readonly id: string;
  readonly network_id?: string;
}

interface NeutronFloatingIp {
  readonly id: string;
  readonly floating_ip_address?: string;
  readonly port_id?: string | null;
}

export interface PortWait {
  /** Pause between two looks for the server's port. */
  readonly intervalMs: number;
  /** How long a launch waits for Nova to plug the server in before giving up. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

async function ports(
  client: OpenStackClient,
  serverId: string,
  signal?: AbortSignal,
): Promise<NeutronPort[]> {
  const data = await client.json<unknown>({
    service: 'network',
    operation: 'list-ports',
    method: 'GET',
    path: '/ports',
    query: { device_id: serverId },
    signal,
  });
  return listOf<NeutronPort>(data, 'ports', 'Neutron', 'list-ports');
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

/** The server's port on another network than the external one, once Nova has plugged it in. */
async function waitForPort(
  client: OpenStackClient,
  serverId: string,
  externalNetwork: string,
  wait: PortWait,
): Promise<NeutronPort> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const found = (await ports(client, serverId, wait.signal)).find(
      (port) => port.network_id !== externalNetwork,
    );
    if (found) return found;
    const server = await getServer(client, serverId, wait.signal);
    if (server === undefined || server.status === 'ERROR') {
      throw new ConnectorError(
        'CLOUD_ERROR',
        `Server ${serverId} ${server ? 'went into ERROR' : 'disappeared'} before it had a network port, so no floating IP was attached.`,
      );
    }
    if (Date.now() >= deadline) {
      throw new ConnectorError(
        'TIMEOUT',
        `Server ${serverId} had no network port after ${wait.timeoutMs} ms, so no floating IP is attached yet; launch again with the same idempotency key to attach it.`,
      );
    }
    await sleep(wait.intervalMs, wait.signal);
  }
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
  for (const port of await ports(client, serverId, signal)) {
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
