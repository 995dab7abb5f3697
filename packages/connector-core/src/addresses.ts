import { isIP } from 'node:net';

/** Unique-local (fc00::/7) and link-local (fe80::/10) IPv6 addresses, in either case. */
const PRIVATE_IPV6_PREFIX = /^f(?:[cd]|e[89ab])/i;

/** Which of a VM's address lists an IP address belongs in (see {@link addressKind}). */
export type AddressKind = 'public' | 'private';

/**
 * Whether an IP address is private, by its range: RFC 1918, shared address space (RFC 6598),
 * loopback, link-local, and IPv6 unique-local and link-local addresses; public otherwise; and
 * undefined for text that is not an IP address. Clouds often put a VM's public address on its
 * network interface itself (shared networks, provider networks), so connectors sort addresses by
 * range, not by which network carries them. One check of the text: a listing sorts thousands.
 */
export function addressKind(address: string): AddressKind | undefined {
  const version = isIP(address);
  if (version === 4) return isPrivateIpv4(address) ? 'private' : 'public';
  if (version === 6) return address === '::1' || PRIVATE_IPV6_PREFIX.test(address) ? 'private' : 'public';
  return undefined;
}

/** True for an IP address in a private range (see {@link addressKind}); false for anything else. */
export function isPrivateAddress(address: string): boolean {
  return addressKind(address) === 'private';
}

const DOT = 46;
const ZERO = 48;

/**
 * For an address `isIP` said is IPv4 (four dotted decimals, no leading zeros): its first two
 * octets read digit by digit, since splitting each address into strings and numbers costs more
 * than the check itself.
 */
function isPrivateIpv4(address: string): boolean {
  let index = 0;
  let a = 0;
  for (; address.charCodeAt(index) !== DOT; index += 1) a = a * 10 + address.charCodeAt(index) - ZERO;
  let b = 0;
  for (index += 1; address.charCodeAt(index) !== DOT; index += 1)
    b = b * 10 + address.charCodeAt(index) - ZERO;
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/**
 * One VM's addresses sorted into public and private, each kept once and anything but an IP address
 * left out, reused VM after VM: `start()`, `add()` each address, then `publicIps()` and
 * `privateIps()` copy them out at their exact length. An array grown by push reserves room for 17
 * items, and a listing keeps two arrays per VM for each of thousands (a mapped CloudStack VM kept
 * 626 bytes of heap with them, 351 with exact ones).
 */
export class AddressSorter {
  readonly #public: string[] = [];
  readonly #private: string[] = [];

  /** Forgets the previous VM's addresses. */
  start(): void {
    this.#public.length = 0;
    this.#private.length = 0;
  }

  /** An address, by its range, or public in any case when `isPublic` (a floating address, say). */
  add(address: unknown, isPublic = false): void {
    if (typeof address !== 'string' || this.#public.includes(address) || this.#private.includes(address))
      return;
    const kind = addressKind(address);
    if (kind !== undefined) (isPublic || kind === 'public' ? this.#public : this.#private).push(address);
  }

  /** This VM's public addresses, in the order added: a new array, the caller's to keep. */
  publicIps(): string[] {
    return this.#public.slice();
  }

  /** This VM's private addresses, in the order added: a new array, the caller's to keep. */
  privateIps(): string[] {
    return this.#private.slice();
  }
}
