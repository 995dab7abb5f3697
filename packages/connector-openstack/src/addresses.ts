import { AddressSorter } from '@slipstream/connector-core';
import type { NovaAddress } from './wire.js';

const sorter = new AddressSorter();

/**
 * Public and private addresses of a server, from Nova's `addresses` (network name → addresses).
 * Floating addresses are public. A fixed address is public on the network named as the public
 * one, and otherwise by its range (core's `AddressSorter`): a provider network's address
 * outside the private ranges is public.
 */
export function splitAddresses(
  addresses: Readonly<Record<string, readonly unknown[]>> | undefined,
  publicNetwork: string | undefined,
): { publicIps: string[]; privateIps: string[] } {
  sorter.start();
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
      sorter.add(address, entry['OS-EXT-IPS:type'] === 'floating' || network === publicNetwork);
    }
  }
  return { publicIps: sorter.publicIps(), privateIps: sorter.privateIps() };
}
