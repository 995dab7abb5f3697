/**
 * Addresses for the n-th VM. Public ones come from 198.18.0.0/15, the range RFC 2544 sets aside
 * for benchmarks: 131,070 hosts, never routed on the internet, so a simulator can never hand out
 * an address someone owns. Private ones from 10.0.0.0/8.
 */
export function publicAddress(sequence: number): string {
  const n = 1 + ((sequence - 1) % 131_070);
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export function privateAddress(sequence: number): string {
  const n = 1 + ((sequence - 1) % 16_777_214);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}
