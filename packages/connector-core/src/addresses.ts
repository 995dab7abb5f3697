import { isIP } from 'node:net';

/** Unique-local (fc00::/7) and link-local (fe80::/10) IPv6 addresses, in either case. */
const PRIVATE_IPV6_PREFIX = /^f(?:[cd]|e[89ab])/i;

/**
 * Whether an IP address is private, by its range: RFC 1918, shared address space (RFC 6598),
 * loopback, link-local, and IPv6 unique-local and link-local addresses. Clouds often put a VM's
 * public address on its network interface itself (shared networks, provider networks), so
 * connectors sort addresses by range, not by which network carries them. Not an IP: false.
 */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) {
    // The first two octets read digit by digit: a listing sorts thousands of addresses, and
    // splitting each into an array of strings and numbers costs more than the check itself.
    const a = leadingOctet(address, 0);
    const b = leadingOctet(address, String(a).length + 1);
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (version === 6) {
    return address === '::1' || PRIVATE_IPV6_PREFIX.test(address);
  }
  return false;
}

/** The decimal octet starting at `start` of an address `isIP` said is IPv4 (so without leading zeros). */
function leadingOctet(address: string, start: number): number {
  let value = 0;
  for (let index = start; index < address.length; index++) {
    const digit = address.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}
