/**
 * Deterministic IP addresses, derived from a VM's sequence number so that tests and documentation
 * can predict them. Nothing is routed: the addresses only have to look right and not collide with
 * real networks.
 */

/**
 * A public address from 203.0.113.0/24 (TEST-NET-3, RFC 5737), reserved for documentation so it
 * never reaches a real host. The range has 254 usable addresses; after that they repeat, which
 * harms nothing in a cloud that routes no traffic.
 */
export function publicAddress(sequence: number): string {
  return `203.0.113.${((sequence - 1) % 254) + 1}`;
}

/** A private address in 10.<zone>.0.0/16: one subnet per zone, as most clouds lay them out. */
export function privateAddress(zoneIndex: number, sequence: number): string {
  return `10.${zoneIndex + 1}.${Math.floor(sequence / 256) % 256}.${sequence % 256}`;
}
