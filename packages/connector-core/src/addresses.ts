import { isIP } from 'node:net';

/**
 * Whether an IP address is private, by its range: RFC 1918, shared address space (RFC 6598),
 * loopback, link-local, and IPv6 unique-local and link-local addresses. Clouds often put a VM's
 * public address on its network interface itself (shared networks, provider networks), so
 * connectors sort addresses by range, not by which network carries them. Not an IP: false.
 */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) {
    const [a = -1, b = -1] = address.split('.', 2).map(Number);
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
    const lower = address.toLowerCase();
    return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
  }
  return false;
}
