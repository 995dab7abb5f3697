import { ConnectorError, poll } from '@slipstream/connector-core';
import type { OpenStackClient } from './client.js';
import { serverPorts } from './networks.js';
import { getServer } from './vm.js';
import type { NeutronPort } from './wire.js';

/**
 * Waiting on OpenStack's own asynchronous work, through core's `poll`. Nova creates a server's
 * network ports while it builds the server, some time after POST /servers has answered; a floating
 * IP can only be attached once the port exists.
 */

export interface PortWait {
  /** Pause between two looks for the server's port. */
  readonly intervalMs: number;
  /** How long a launch waits for Nova to plug the server in before giving up. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The server's port on another network than the external one, once Nova has plugged it in.
 * CLOUD_ERROR when the server goes into ERROR or disappears first (it will never get a port);
 * TIMEOUT, saying how to finish the job, when the port does not come in time.
 */
export function waitForPort(
  client: OpenStackClient,
  serverId: string,
  externalNetwork: string,
  wait: PortWait,
): Promise<NeutronPort> {
  return poll<NeutronPort>(
    {
      interval: wait.intervalMs,
      timeout: wait.timeoutMs,
      signal: wait.signal,
      what: `Waiting for a network port of server ${serverId}`,
      timeoutError: () =>
        new ConnectorError(
          'TIMEOUT',
          `Server ${serverId} had no network port after ${wait.timeoutMs} ms, so no floating IP is attached yet; launch again with the same idempotency key to attach it.`,
        ),
    },
    async () => {
      const found = (await serverPorts(client, serverId, wait.signal)).find(
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
      return undefined;
    },
  );
}
