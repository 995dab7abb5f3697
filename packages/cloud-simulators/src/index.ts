/**
 * `@slipstream/cloud-simulators`: local servers that speak real cloud APIs on top of one in-memory
 * cloud model, for testing cloud clients offline.
 */
export {
  CLOUDSTACK_API_PATH,
  CLOUDSTACK_CATALOG,
  type CloudStackSimulatorOptions,
  createCloudStackFrontEnd,
  startCloudStack,
} from './cloudstack/index.js';
export { EXOSCALE_CATALOG, type RunningExoscale, startExoscale } from './exoscale/index.js';
export { type Clock, ManualClock, systemClock } from './model/clock.js';
export { SIM_DEFAULTS, SimCloud, type SimCloudOptions, type VmSpec } from './model/cloud.js';
export { SimError, type SimErrorKind } from './model/errors.js';
export type {
  AccountStatus,
  OperationStatus,
  SimAccount,
  SimAccountSpec,
  SimImage,
  SimKeyPair,
  SimOperation,
  SimSize,
  SimVm,
  SimZone,
  VmPhase,
} from './model/types.js';
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
export {
  type AccessKey,
  OTC_DEFAULT_DOMAIN,
  type OtcSimulatorOptions,
  type RunningOtc,
  startOtc,
} from './otc/index.js';
export type { Fault, FaultMatch, FaultOptions, FaultRequest } from './server/faults.js';
export type { FrontEnd, SimRequest, SimResponse } from './server/frontend.js';
export {
  type ListenOptions,
  listen,
  type RequestRecord,
  type RunningServer,
  type SimulatorControl,
} from './server/http-server.js';
export {
  type Catalog,
  type RunningSimulator,
  randomAccount,
  type SimulatorOptions,
  startSimulator,
} from './server/simulator.js';
