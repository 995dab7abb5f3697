/** `@slipstream/cloud-simulators/openstack`: Keystone v3, Nova 2.1, Glance v2 and Neutron v2.0. */
export {
  MAX_MICROVERSION as OPENSTACK_MAX_MICROVERSION,
  NETWORKS as OPENSTACK_NETWORKS,
  OPENSTACK_CATALOG,
  OPENSTACK_FLAVORS,
  OPENSTACK_IMAGES,
  OPENSTACK_ZONES,
  OpenStackFrontEnd,
  type OpenStackFrontEndOptions,
  type OpenStackSimulatorOptions,
  type OpenStackUser,
  PRIVATE_NETWORK as OPENSTACK_PRIVATE_NETWORK,
  PUBLIC_NETWORK as OPENSTACK_PUBLIC_NETWORK,
  type RunningOpenStack,
  type SimNetwork,
  startOpenStack,
} from './openstack/index.js';
