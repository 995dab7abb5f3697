import { isIP } from 'node:net';
import { isPrivateAddress } from '@slipstream/connector-core';
import type { NovaAddress } from './wire.js';

/**
 * Public and private addresses of a server, from Nova's `addresses` (network name → addresses).
 * Floating addresses are public. A fixed address is public on the network named as the public
 * one, and otherwise by its range (core's `isPrivateAddress`): a provider network's address
 * outside the private ranges is public.
 */
export function splitAddresses(
  addresses: Readonly<Record<string, readonly unknown[]>> | undefined,
  publicNetwork: string | undefined,
): { publicIps: string[]; privateIps: string[] } {
  const publicIps: string[] = [];
  const privateIps: string[] = [];
  for (const network in addresses) {
    if (!Object.hasOwn(addresses, network)) continue;
    const list = addresses[network];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      // An entry that is not an address is skipped: the server's other addresses still count.
      if (typeof item !== 'object' || item === null) continue;
      const entry = item as Partial<NovaAddress>;
      const address = entry.addr;
      if (typeof address !== 'string') continue;
      // A private address is an IP address; only one that is not needs isIP's check.
      const isPrivate = isPrivateAddress(address);
      if (!isPrivate && isIP(address) === 0) continue;
      const isPublic = entry['OS-EXT-IPS:type'] === 'floating' || network === publicNetwork || !isPrivate;
      const target = isPublic ? publicIps : privateIps;
      if (!target.includes(address)) target.push(address);
    }
  }
  return { publicIps, privateIps };
}
