import { ConnectorError, raceSignal } from '@slipstream/connector-core';
import type { OpenStackClient } from './client.js';
import type { OpenStackSettings } from './parameters.js';
import { listOf, type NeutronPort } from './wire.js';

/**
 * Networks through Neutron v2.0 (api-ref network v2): the networks a server is attached to, named
 * by the instance's `network.public` / `network.private` parameters, and the external network
 * floating IPs come from. Names are looked up once per session; ids are used as they are.
 */

interface NeutronNetwork {
  readonly id: string;
  readonly name?: string;
  readonly 'router:external'?: boolean;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A Neutron id (a UUID, with or without hyphens) rather than a name. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The Neutron ports of a server (GET /ports?device_id=): its interfaces, once Nova has plugged them in. */
export async function serverPorts(
  client: OpenStackClient,
  serverId: string,
  signal?: AbortSignal,
): Promise<NeutronPort[]> {
  const data = await client.json<unknown>({
    service: 'network',
    operation: 'list-ports',
    method: 'GET',
    path: '/ports',
    query: { device_id: serverId },
    signal,
  });
  return listOf<NeutronPort>(data, 'ports', 'Neutron', 'list-ports');
}

/** What POST /servers gets as `networks`: Nova's "auto" or the networks by id. */
export type ServerNetworks = 'auto' | readonly { readonly uuid: string }[];

export class NetworkDirectory {
  readonly #client: OpenStackClient;
  readonly #settings: OpenStackSettings;
  readonly #ids = new Map<string, Promise<string>>();

  constructor(client: OpenStackClient, settings: OpenStackSettings) {
    this.#client = client;
    this.#settings = settings;
  }

  /**
   * The networks of a new server: the private network, and the public one unless floating IPs
   * give public addresses; "auto" (Nova picks or allocates one) when none is set.
   */
  async serverNetworks(signal?: AbortSignal): Promise<ServerNetworks> {
    const { networks, floatingIps } = this.#settings;
    const wanted: [string, string][] = [];
    if (networks.private !== undefined) wanted.push(['network.private', networks.private]);
    if (networks.public !== undefined && !floatingIps) wanted.push(['network.public', networks.public]);
    if (wanted.length === 0) return 'auto';
    const ids = await Promise.all(
      wanted.map(([parameter, reference]) => this.#resolve(parameter, reference, signal)),
    );
    return [...new Set(ids)].map((uuid) => ({ uuid }));
  }

  /** The external network floating IPs are allocated from: `network.public`, else the only external one. */
  async floatingNetwork(signal?: AbortSignal): Promise<string> {
    const configured = this.#settings.networks.public;
    if (configured !== undefined) return this.#resolve('network.public', configured, signal);
    return this.#shared('\u0000external', () => this.#onlyExternal(), signal);
  }

  #resolve(parameter: string, reference: string, signal?: AbortSignal): Promise<string> {
    if (isUuid(reference)) return Promise.resolve(reference);
    return this.#shared(reference, () => this.#byName(parameter, reference), signal);
  }

  /**
   * One lookup per key for the session, shared by concurrent callers and so not tied to one
   * caller's signal (each races its own). A failed lookup is not kept: the next launch asks again.
   */
  #shared(key: string, lookup: () => Promise<string>, signal: AbortSignal | undefined): Promise<string> {
    let pending = this.#ids.get(key);
    if (!pending) {
      pending = lookup();
      this.#ids.set(key, pending);
      pending.catch(() => this.#ids.delete(key));
    }
    return raceSignal(pending, signal, 'Looking up a network');
  }

  async #list(query: Record<string, string>): Promise<NeutronNetwork[]> {
    const data = await this.#client.json<unknown>({
      service: 'network',
      operation: 'list-networks',
      method: 'GET',
      path: '/networks',
      query,
    });
    return listOf<NeutronNetwork>(data, 'networks', 'Neutron', 'list-networks');
  }

  async #byName(parameter: string, name: string): Promise<string> {
    // Neutron filters on the exact name; checked again here all the same.
    const found = (await this.#list({ name })).filter((network) => network.name === name);
    if (found.length === 1) return (found[0] as NeutronNetwork).id;
    throw new ConnectorError(
      'CONFIG_INVALID',
      found.length === 0
        ? `Parameter "${parameter}" names network "${name}", which this project cannot see; give the name or id of a network it may use.`
        : `Parameter "${parameter}" names network "${name}", and ${found.length} networks have that name (${found.map((n) => n.id).join(', ')}); give its id instead.`,
    );
  }

  async #onlyExternal(): Promise<string> {
    const external = (await this.#list({ 'router:external': 'true' })).filter(
      (network) => network['router:external'] !== false,
    );
    if (external.length === 1) return (external[0] as NeutronNetwork).id;
    throw new ConnectorError(
      'CONFIG_INVALID',
      external.length === 0
        ? 'Parameter "floating.ips" is on, but the project sees no external network to allocate floating IPs from; set "network.public" to one, or turn floating IPs off.'
        : `Parameter "floating.ips" is on and the project sees ${external.length} external networks (${external.map((n) => n.name ?? n.id).join(', ')}); set "network.public" to the one floating IPs come from.`,
    );
  }
}
