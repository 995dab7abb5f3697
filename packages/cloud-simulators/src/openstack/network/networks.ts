import { createHash } from 'node:crypto';
import type { SimVm } from '../../model/types.js';

/**
 * The networks a project sees, as a fresh devstack has them: its own `private` network, which
 * servers join by default (`auto`), and the external `public` network that floating IPs come from
 * and that only administrators may plug servers into. A server's fixed address on `private` is the
 * model's private address, on `public` the model's public one; each (server, network) pair is one
 * Neutron port with a stable id and MAC address.
 */

export interface SimNetwork {
  readonly id: string;
  readonly name: string;
  /** router:external: the network floating IPs are allocated from. */
  readonly external: boolean;
  readonly subnet: {
    readonly id: string;
    readonly name: string;
    readonly cidr: string;
    readonly gateway: string;
  };
}

export const PRIVATE_NETWORK: SimNetwork = Object.freeze({
  id: '5c4d9e9a-1f0b-4b7e-8d2a-7e3f6a9b0c11',
  name: 'private',
  external: false,
  subnet: {
    id: 'b7e1c2d3-4f5a-4b6c-9d8e-0f1a2b3c4d5e',
    name: 'private-subnet',
    cidr: '10.0.0.0/8',
    gateway: '10.0.0.1',
  },
});

export const PUBLIC_NETWORK: SimNetwork = Object.freeze({
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c62',
  name: 'public',
  external: true,
  // RFC 2544's benchmark range, as the model's public addresses.
  subnet: {
    id: 'e2d3c4b5-a6f7-4e8d-9c0b-1a2f3e4d5c6b',
    name: 'public-subnet',
    cidr: '198.18.0.0/15',
    gateway: '198.18.0.254',
  },
});

export const NETWORKS: readonly SimNetwork[] = Object.freeze([PRIVATE_NETWORK, PUBLIC_NETWORK]);

export function networkById(id: string): SimNetwork | undefined {
  return NETWORKS.find((network) => network.id === id.toLowerCase());
}

/** A server's fixed address on a network. */
export function fixedAddress(vm: SimVm, network: SimNetwork): string {
  return network.external ? vm.publicIp : vm.privateIp;
}

/** The Neutron port of a server on a network: a stable UUID. */
export function portId(serverId: string, networkId: string): string {
  const hex = createHash('sha256').update(`port:${serverId}/${networkId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A port's MAC address in Neutron's default range (fa:16:3e), stable per server and network. */
export function macAddress(serverId: string, networkId: string): string {
  const digest = createHash('sha256').update(`${serverId}/${networkId}`).digest();
  const tail = [...digest.subarray(0, 3)].map((byte) => byte.toString(16).padStart(2, '0'));
  return ['fa', '16', '3e', ...tail].join(':');
}

export interface NovaAddress {
  readonly addr: string;
  readonly version: 4;
  readonly 'OS-EXT-IPS:type': 'fixed' | 'floating';
  readonly 'OS-EXT-IPS-MAC:mac_addr': string;
}

/**
 * The `addresses` of a server: one list per network it is on, a floating IP listed after the
 * fixed address of the port it is bound to, as Nova reports it from Neutron.
 */
export function addressesOf(
  vm: SimVm,
  networks: readonly SimNetwork[],
  floatingOf: (portId: string) => string | undefined,
): Record<string, NovaAddress[]> {
  const addresses: Record<string, NovaAddress[]> = {};
  for (const network of networks) {
    const mac = macAddress(vm.id, network.id);
    const entry = (addr: string, type: 'fixed' | 'floating'): NovaAddress => ({
      'OS-EXT-IPS-MAC:mac_addr': mac,
      version: 4,
      addr,
      'OS-EXT-IPS:type': type,
    });
    const list = [entry(fixedAddress(vm, network), 'fixed')];
    const floating = floatingOf(portId(vm.id, network.id));
    if (floating !== undefined) list.push(entry(floating, 'floating'));
    addresses[network.name] = [...(addresses[network.name] ?? []), ...list];
  }
  return addresses;
}
