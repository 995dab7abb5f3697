import { randomUUID } from 'node:crypto';

/**
 * Floating IPs: addresses of the external network a project allocates and binds to a server's
 * port. They are allocated from the top of the public subnet downwards, away from the model's
 * public addresses, which are numbered from its bottom.
 */

export interface FloatingIp {
  readonly id: string;
  /** The model account (project) that owns it. */
  readonly account: string;
  readonly projectId: string;
  readonly address: string;
  readonly networkId: string;
  readonly description: string;
  readonly portId: string | null;
  readonly serverId: string | null;
  readonly fixedIp: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly revision: number;
}

/** Neutron's default floatingip quota per project. */
export const FLOATING_IP_QUOTA = 50;

/** The last usable address of 198.18.0.0/15. */
const TOP = 198 * 2 ** 24 + 19 * 2 ** 16 + 255 * 2 ** 8 + 254;
const POOL_SIZE = 65_000;

export class FloatingIps {
  readonly #ips = new Map<string, FloatingIp>();
  #next = 0;
  readonly #free: number[] = [];

  list(account: string): FloatingIp[] {
    return [...this.#ips.values()].filter((ip) => ip.account === account);
  }

  get(account: string, id: string): FloatingIp | undefined {
    const ip = this.#ips.get(id);
    return ip?.account === account ? ip : undefined;
  }

  /** The floating IP bound to a port, if any. */
  onPort(portId: string): FloatingIp | undefined {
    for (const ip of this.#ips.values()) if (ip.portId === portId) return ip;
    return undefined;
  }

  /** A new address, or undefined when the pool is exhausted. */
  allocate(fields: Omit<FloatingIp, 'id' | 'address' | 'revision'>): FloatingIp | undefined {
    const offset = this.#free.pop() ?? (this.#next < POOL_SIZE ? this.#next++ : undefined);
    if (offset === undefined) return undefined;
    const ip: FloatingIp = { ...fields, id: randomUUID(), address: dotted(TOP - offset), revision: 0 };
    this.#ips.set(ip.id, ip);
    return ip;
  }

  update(
    id: string,
    changes: Partial<Pick<FloatingIp, 'portId' | 'serverId' | 'fixedIp' | 'description' | 'updatedAt'>>,
  ): FloatingIp {
    const current = this.#ips.get(id);
    if (!current) throw new Error(`floating IP ${id} does not exist`);
    const updated = { ...current, ...changes, revision: current.revision + 1 };
    this.#ips.set(id, updated);
    return updated;
  }

  release(id: string): void {
    const ip = this.#ips.get(id);
    if (!ip) return;
    this.#ips.delete(id);
    this.#free.push(TOP - toNumber(ip.address));
  }
}

function dotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

function toNumber(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}
