import { isIPv6 } from 'node:net';

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
  const head = ipv4Head(address);
  if (head !== NOT_IPV4) return isPrivateIpv4(head >> 8, head & 0xff) ? 'private' : 'public';
  if (isIPv6(address)) return address === '::1' || PRIVATE_IPV6_PREFIX.test(address) ? 'private' : 'public';
  return undefined;
}

/** True for an IP address in a private range (see {@link addressKind}); false for anything else. */
export function isPrivateAddress(address: string): boolean {
  return addressKind(address) === 'private';
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;
const NOT_IPV4 = -1;

/**
 * For an IPv4 address as `isIP` accepts it (four dotted decimals 0–255, no leading zeros): its
 * first two octets as one number (`a * 256 + b`), read in one pass over the characters; NOT_IPV4
 * for anything else. Node's check is a regular expression, and classifying needs the octets after
 * it: a listing sorts thousands of addresses, and sorting them was the largest part of mapping a
 * CloudStack VM.
 */
function ipv4Head(address: string): number {
  let octets = 0;
  let value = 0;
  let digits = 0;
  let head = 0;
  for (let index = 0; index < address.length; index += 1) {
    const char = address.charCodeAt(index);
    if (char === DOT) {
      if (digits === 0 || octets === 3) return NOT_IPV4;
      if (octets < 2) head = head * 256 + value;
      octets += 1;
      value = 0;
      digits = 0;
    } else if (char >= ZERO && char <= NINE && !(digits === 1 && value === 0)) {
      value = value * 10 + char - ZERO;
      digits += 1;
      if (value > 255) return NOT_IPV4;
    } else {
      return NOT_IPV4;
    }
  }
  return octets === 3 && digits > 0 ? head : NOT_IPV4;
}

function isPrivateIpv4(a: number, b: number): boolean {
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
  // Buffers kept VM after VM, with counts: emptying an array (`length = 0`) drops its storage, so
  // that every VM would allocate it again.
  readonly #public: string[] = [];
  readonly #private: string[] = [];
  #publicCount = 0;
  #privateCount = 0;

  /** Forgets the previous VM's addresses. */
  start(): void {
    this.#publicCount = 0;
    this.#privateCount = 0;
  }

  /** An address, by its range, or public in any case when `isPublic` (a floating address, say). */
  add(address: unknown, isPublic = false): void {
    if (typeof address !== 'string' || this.#has(address)) return;
    const kind = addressKind(address);
    if (kind === undefined) return;
    if (isPublic || kind === 'public') {
      this.#public[this.#publicCount] = address;
      this.#publicCount += 1;
    } else {
      this.#private[this.#privateCount] = address;
      this.#privateCount += 1;
    }
  }

  #has(address: string): boolean {
    for (let index = 0; index < this.#publicCount; index += 1)
      if (this.#public[index] === address) return true;
    for (let index = 0; index < this.#privateCount; index += 1)
      if (this.#private[index] === address) return true;
    return false;
  }

  /** This VM's public addresses, in the order added: a new array, the caller's to keep. */
  publicIps(): string[] {
    return firstOf(this.#public, this.#publicCount);
  }

  /** This VM's private addresses, in the order added: a new array, the caller's to keep. */
  privateIps(): string[] {
    return firstOf(this.#private, this.#privateCount);
  }
}

/** The first `count` items as a new array of that length; literals for the usual one or two. */
function firstOf(buffer: readonly string[], count: number): string[] {
  if (count === 0) return [];
  if (count === 1) return [buffer[0] as string];
  if (count === 2) return [buffer[0] as string, buffer[1] as string];
  return buffer.slice(0, count);
}
