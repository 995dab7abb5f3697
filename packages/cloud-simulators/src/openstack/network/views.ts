import type { SimVm } from '../../model/types.js';
import type { Caller } from '../caller.js';
import { isoSeconds } from '../dates.js';
import { hexId } from '../identity/directory.js';
import { ADMIN_PROJECT_ID } from '../image/view.js';
import type { FloatingIp } from './floating-ips.js';
import { fixedAddress, macAddress, type SimNetwork } from './networks.js';

/**
 * Neutron's representations: networks and subnets (the project's own, or the operator's external
 * one), the port of a server on a network, and floating IPs.
 */

/** The router that connects every project's private network to the public one. */
const ROUTER_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

export function renderNetwork(network: SimNetwork, caller: Caller): Record<string, unknown> {
  const owner = network.external ? ADMIN_PROJECT_ID : caller.projectId;
  return {
    id: network.id,
    name: network.name,
    status: 'ACTIVE',
    admin_state_up: true,
    subnets: [network.subnet.id],
    shared: false,
    'router:external': network.external,
    ...(network.external ? { is_default: true } : {}),
    tenant_id: owner,
    project_id: owner,
    mtu: network.external ? 1500 : 1450,
    port_security_enabled: true,
    availability_zone_hints: [],
    availability_zones: ['nova'],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    qos_policy_id: null,
    description: '',
    tags: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    revision_number: 1,
  };
}

export function renderSubnet(network: SimNetwork, caller: Caller): Record<string, unknown> {
  const owner = network.external ? ADMIN_PROJECT_ID : caller.projectId;
  return {
    id: network.subnet.id,
    name: network.subnet.name,
    network_id: network.id,
    tenant_id: owner,
    project_id: owner,
    ip_version: 4,
    cidr: network.subnet.cidr,
    gateway_ip: network.subnet.gateway,
    enable_dhcp: !network.external,
    allocation_pools: [],
    dns_nameservers: [],
    host_routes: [],
    ipv6_address_mode: null,
    ipv6_ra_mode: null,
    subnetpool_id: null,
    description: '',
    tags: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    revision_number: 0,
  };
}

export function renderPort(
  id: string,
  vm: SimVm,
  network: SimNetwork,
  caller: Caller,
  zoneName: string,
): Record<string, unknown> {
  const active = vm.phase === 'running' || vm.phase === 'stopping';
  return {
    id,
    name: '',
    network_id: network.id,
    tenant_id: caller.projectId,
    project_id: caller.projectId,
    mac_address: macAddress(vm.id, network.id),
    admin_state_up: true,
    status: active ? 'ACTIVE' : 'DOWN',
    device_id: vm.id,
    device_owner: `compute:${zoneName}`,
    fixed_ips: [{ subnet_id: network.subnet.id, ip_address: fixedAddress(vm, network) }],
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    security_groups: [hexId(`security-group:default:${caller.projectId}`)],
    description: '',
    'binding:vnic_type': 'normal',
    port_security_enabled: true,
    qos_policy_id: null,
    tags: [],
    created_at: isoSeconds(vm.createdAt),
    updated_at: isoSeconds(Math.max(vm.createdAt, vm.phaseSince)),
    revision_number: 1,
  };
}

export function renderFloatingIp(ip: FloatingIp): Record<string, unknown> {
  const bound = ip.portId !== null;
  return {
    id: ip.id,
    tenant_id: ip.projectId,
    project_id: ip.projectId,
    floating_network_id: ip.networkId,
    router_id: bound ? ROUTER_ID : null,
    fixed_ip_address: ip.fixedIp,
    floating_ip_address: ip.address,
    port_id: ip.portId,
    status: bound ? 'ACTIVE' : 'DOWN',
    description: ip.description,
    tags: [],
    qos_policy_id: null,
    port_details: null,
    created_at: isoSeconds(ip.createdAt),
    updated_at: isoSeconds(ip.updatedAt),
    revision_number: ip.revision,
  };
}
