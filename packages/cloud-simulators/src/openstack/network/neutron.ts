import type { SimCloud } from '../../model/cloud.js';
import type { SimVm } from '../../model/types.js';
import type { SimResponse } from '../../server/frontend.js';
import type { Caller } from '../caller.js';
import type { ServerRecords } from '../compute/records.js';
import { emptyResponse, isObject, jsonResponse, parseJson, type ServiceRequest } from '../http.js';
import { webobError } from '../webob.js';
import { NeutronError, neutronErrorResponse } from './errors.js';
import { FLOATING_IP_QUOTA, type FloatingIp, FloatingIps } from './floating-ips.js';
import { fixedAddress, NETWORKS, networkById, portId, type SimNetwork } from './networks.js';
import { matchNeutron, type NeutronRoute } from './routes.js';
import { renderFloatingIp, renderNetwork, renderPort, renderSubnet } from './views.js';

/**
 * The part of Neutron's networking API v2.0 a compute client needs: networks and subnets (read),
 * the ports of servers (read), and floating IPs (allocate, bind to a port, unbind, release).
 * Paths are below the network root (devstack's `/networking`); list filters are attribute
 * equality, several values of one attribute meaning any of them, and `fields` picks attributes.
 */

/** Filter and paging parameters that are not attributes. */
const NON_ATTRIBUTES = new Set(['fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir']);

export class NeutronService {
  readonly floatingIps = new FloatingIps();
  readonly #cloud: SimCloud;
  readonly #servers: ServerRecords;

  constructor(cloud: SimCloud, servers: ServerRecords) {
    this.#cloud = cloud;
    this.#servers = servers;
  }

  route(request: ServiceRequest): NeutronRoute {
    return matchNeutron(request.method, request.path);
  }

  public(request: ServiceRequest, route: Exclude<NeutronRoute, { kind: 'api' }>): SimResponse {
    if (route.kind === 'not-found') return webobError(404, undefined, request.headers);
    if (route.operation === 'list-networking-versions') {
      return jsonResponse(200, {
        versions: [
          { id: 'v2.0', status: 'CURRENT', links: [{ href: `${request.root}/v2.0/`, rel: 'self' }] },
        ],
      });
    }
    const resources = ['network', 'subnet', 'port', 'floatingip'].map((name) => ({
      name,
      collection: `${name}s`,
      links: [{ href: `${request.root}/v2.0/${name}s`, rel: 'self' }],
    }));
    return jsonResponse(200, { resources });
  }

  handleApi(
    request: ServiceRequest,
    route: Extract<NeutronRoute, { kind: 'api' }>,
    caller: Caller,
  ): SimResponse {
    try {
      return this.#handle(request, route, caller);
    } catch (error) {
      if (error instanceof NeutronError) return neutronErrorResponse(error.status, error.message, error.type);
      throw error;
    }
  }

  errorResponse(status: number, message: string): SimResponse {
    return neutronErrorResponse(status, message);
  }

  /** The floating address bound to a port, for Nova's view of a server. */
  floatingAddressOn(port: string): string | undefined {
    return this.floatingIps.onPort(port)?.address;
  }

  #handle(
    request: ServiceRequest,
    route: Extract<NeutronRoute, { kind: 'api' }>,
    caller: Caller,
  ): SimResponse {
    const { param } = route;
    switch (route.operation) {
      case 'list-networks':
        return this.#list(
          'networks',
          NETWORKS.map((network) => renderNetwork(network, caller)),
          request.query,
        );
      case 'show-network': {
        const network = networkById(param ?? '');
        if (!network) throw notFoundError('NetworkNotFound', `Network ${param} could not be found.`);
        return this.#one('network', renderNetwork(network, caller), request.query);
      }
      case 'list-subnets':
        return this.#list(
          'subnets',
          NETWORKS.map((network) => renderSubnet(network, caller)),
          request.query,
        );
      case 'show-subnet': {
        const network = NETWORKS.find((candidate) => candidate.subnet.id === param);
        if (!network) throw notFoundError('SubnetNotFound', `Subnet ${param} could not be found.`);
        return this.#one('subnet', renderSubnet(network, caller), request.query);
      }
      case 'list-ports':
        return this.#list(
          'ports',
          this.#ports(caller).map((port) => port.view),
          request.query,
        );
      case 'show-port':
        return this.#one('port', this.#port(caller, param ?? '').view, request.query);
      case 'list-floatingips':
        return this.#list(
          'floatingips',
          this.#floatingIps(caller).map((ip) => renderFloatingIp(ip)),
          request.query,
        );
      case 'show-floatingip':
        return this.#one('floatingip', renderFloatingIp(this.#floating(caller, param ?? '')), request.query);
      case 'create-floatingip':
        return jsonResponse(201, { floatingip: renderFloatingIp(this.#create(caller, request.body)) });
      case 'update-floatingip':
        return jsonResponse(200, {
          floatingip: renderFloatingIp(this.#update(caller, param ?? '', request.body)),
        });
      case 'delete-floatingip':
        this.floatingIps.release(this.#floating(caller, param ?? '').id);
        return emptyResponse(204);
      default:
        throw new NeutronError(404, 'HTTPNotFound', 'The resource could not be found.');
    }
  }

  #list(collection: string, items: Record<string, unknown>[], query: URLSearchParams): SimResponse {
    const filters = new Map<string, string[]>();
    for (const [name, value] of query) {
      if (NON_ATTRIBUTES.has(name)) continue;
      filters.set(name, [...(filters.get(name) ?? []), value]);
    }
    const sample = items[0];
    for (const name of filters.keys()) {
      if (sample && !(name in sample)) {
        throw new NeutronError(400, 'HTTPBadRequest', `[${name}] is invalid attribute for filtering`);
      }
    }
    const matching = items.filter((item) =>
      [...filters].every(([name, values]) => values.some((value) => sameValue(item[name], value))),
    );
    return jsonResponse(200, { [collection]: matching.map((item) => pick(item, query.getAll('fields'))) });
  }

  #one(resource: string, item: Record<string, unknown>, query: URLSearchParams): SimResponse {
    return jsonResponse(200, { [resource]: pick(item, query.getAll('fields')) });
  }

  /** One port per network of each of the project's servers. */
  #ports(
    caller: Caller,
  ): Array<{ id: string; vm: SimVm; network: SimNetwork; view: Record<string, unknown> }> {
    return this.#cloud.vms(caller.account).flatMap((vm) =>
      this.#servers.get(vm.id).networks.map((network) => {
        const id = portId(vm.id, network.id);
        return { id, vm, network, view: renderPort(id, vm, network, caller, this.#zoneName(vm.zone)) };
      }),
    );
  }

  #zoneName(zone: string): string {
    return this.#cloud.zones.find((candidate) => candidate.id === zone)?.name ?? zone;
  }

  #port(caller: Caller, id: string) {
    const port = this.#ports(caller).find((candidate) => candidate.id === id);
    if (!port) throw notFoundError('PortNotFound', `Port ${id} could not be found.`);
    return port;
  }

  /** The project's floating IPs, unbound from ports whose server is gone (Neutron deletes those ports). */
  #floatingIps(caller: Caller): FloatingIp[] {
    const live = new Set(this.#ports(caller).map((port) => port.id));
    return this.floatingIps.list(caller.account).map((ip) =>
      ip.portId !== null && !live.has(ip.portId)
        ? this.floatingIps.update(ip.id, {
            portId: null,
            serverId: null,
            fixedIp: null,
            updatedAt: this.#cloud.clock.now(),
          })
        : ip,
    );
  }

  #floating(caller: Caller, id: string): FloatingIp {
    const ip = this.#floatingIps(caller).find((candidate) => candidate.id === id);
    if (!ip) throw notFoundError('FloatingIPNotFound', `Floating IP ${id} could not be found`);
    return ip;
  }

  #create(caller: Caller, body: string): FloatingIp {
    const fields = readFloatingBody(body, 'create');
    const networkId = fields.floating_network_id;
    if (networkId === undefined) {
      throw new NeutronError(
        400,
        'HTTPBadRequest',
        "Failed to parse request. Required attribute 'floating_network_id' not specified",
      );
    }
    if (typeof networkId !== 'string') {
      throw new NeutronError(
        400,
        'HTTPBadRequest',
        `Invalid input for floating_network_id. Reason: '${String(networkId)}' is not a valid UUID.`,
      );
    }
    const network = networkById(networkId);
    if (!network) throw notFoundError('NetworkNotFound', `Network ${networkId} could not be found.`);
    if (!network.external) {
      throw new NeutronError(
        400,
        'BadRequest',
        `Bad floatingip request: Network ${network.id} is not a valid external network.`,
      );
    }
    if (this.floatingIps.list(caller.account).length >= FLOATING_IP_QUOTA) {
      throw new NeutronError(409, 'OverQuota', "Quota exceeded for resources: ['floatingip'].");
    }
    const binding = this.#binding(caller, fields.port_id, undefined);
    const now = this.#cloud.clock.now();
    const ip = this.floatingIps.allocate({
      account: caller.account,
      projectId: caller.projectId,
      networkId: network.id,
      description: typeof fields.description === 'string' ? fields.description : '',
      ...binding,
      createdAt: now,
      updatedAt: now,
    });
    if (!ip) {
      throw new NeutronError(
        409,
        'IpAddressGenerationFailure',
        `No more IP addresses available on network ${network.id}.`,
      );
    }
    return ip;
  }

  #update(caller: Caller, id: string, body: string): FloatingIp {
    const current = this.#floating(caller, id);
    const fields = readFloatingBody(body, 'update');
    const binding = 'port_id' in fields ? this.#binding(caller, fields.port_id, current) : {};
    return this.floatingIps.update(current.id, {
      ...binding,
      ...(typeof fields.description === 'string' ? { description: fields.description } : {}),
      updatedAt: this.#cloud.clock.now(),
    });
  }

  /** What binding a floating IP to `portValue` (a port id, or null to unbind) sets. */
  #binding(
    caller: Caller,
    portValue: unknown,
    current: FloatingIp | undefined,
  ): Pick<FloatingIp, 'portId' | 'serverId' | 'fixedIp'> {
    if (portValue === undefined || portValue === null) return { portId: null, serverId: null, fixedIp: null };
    if (typeof portValue !== 'string') {
      throw new NeutronError(
        400,
        'HTTPBadRequest',
        `Invalid input for port_id. Reason: '${String(portValue)}' is not a valid UUID.`,
      );
    }
    const port = this.#port(caller, portValue);
    if (port.network.external) {
      throw new NeutronError(
        400,
        'BadRequest',
        `Bad floatingip request: Port ${port.id} is on the external network ${port.network.id}.`,
      );
    }
    const fixedIp = fixedAddress(port.vm, port.network);
    const bound = this.floatingIps.onPort(port.id);
    if (bound && bound.id !== current?.id) {
      throw new NeutronError(
        409,
        'FloatingIPPortAlreadyAssociated',
        `Cannot associate floating IP ${current?.address ?? ''} (${current?.id ?? ''}) with port ${port.id} using fixed IP ${fixedIp}, as that fixed IP already has a floating IP on external network ${bound.networkId}.`,
      );
    }
    return { portId: port.id, serverId: port.vm.id, fixedIp };
  }
}

function readFloatingBody(body: string, action: 'create' | 'update'): Record<string, unknown> {
  const parsed = parseJson(body);
  if (!parsed || !isObject(parsed.value)) {
    throw new NeutronError(400, 'HTTPBadRequest', 'Body contains invalid data');
  }
  const floating = parsed.value.floatingip;
  if (!isObject(floating)) {
    throw new NeutronError(400, 'HTTPBadRequest', `Unable to find 'floatingip' in request body`);
  }
  const writable =
    action === 'create'
      ? [
          'floating_network_id',
          'port_id',
          'fixed_ip_address',
          'description',
          'subnet_id',
          'project_id',
          'tenant_id',
          'dns_name',
          'dns_domain',
          'qos_policy_id',
        ]
      : ['port_id', 'fixed_ip_address', 'description', 'qos_policy_id'];
  const unknown = Object.keys(floating).filter((key) => !writable.includes(key));
  if (unknown.length > 0) {
    throw new NeutronError(400, 'HTTPBadRequest', `Unrecognized attribute(s) '${unknown.join(', ')}'`);
  }
  return floating;
}

function notFoundError(type: string, message: string): NeutronError {
  return new NeutronError(404, type, message);
}

/** Filter values are strings; booleans match any of Neutron's spellings. */
function sameValue(actual: unknown, wanted: string): boolean {
  if (typeof actual === 'boolean')
    return ['true', '1', 'yes', 'on', 't'].includes(wanted.toLowerCase()) === actual;
  if (actual === null) return wanted === '' || wanted.toLowerCase() === 'none';
  return String(actual) === wanted;
}

function pick(item: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => fields.includes(key)));
}
