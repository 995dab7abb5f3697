import { isIP } from 'node:net';
import type { NovaAddress } from './wire.js';

/**
 * Public and private addresses of a server, from Nova's `addresses` (network name → addresses).
 * Floating addresses are public. A fixed address is public on the network named as the public
 * one, and otherwise by its range: RFC 1918, RFC 6598 (shared), loopback, link-local and IPv6
 * unique-local addresses are private, anything else (a provider network's address) public.
 */

function ipv4Private(address: string): boolean {
  const [a = -1, b = -1] = address.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254)
  );
}

function ipv6Private(address: string): boolean {
  const lower = address.toLowerCase();
  return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return ipv4Private(address);
  if (version === 6) return ipv6Private(address);
  return false;
}

export function splitAddresses(
  addresses: Readonly<Record<string, readonly NovaAddress[]>> | undefined,
  publicNetwork: string | undefined,
): { publicIps: string[]; privateIps: string[] } {
  const publicIps: string[] = [];
  const privateIps: string[] = [];
  for (const [network, list] of Object.entries(addresses ?? {})) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const address = entry?.addr;
      if (typeof address !== 'string' || isIP(address) === 0) continue;
      const isPublic =
        entry['OS-EXT-IPS:type'] === 'floating' || network === publicNetwork || !isPrivateAddress(address);
      const target = isPublic ? publicIps : privateIps;
      if (!target.includes(address)) target.push(address);
    }
  }
  return { publicIps, privateIps };
}
