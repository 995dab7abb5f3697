/**
 * `@slipstream/cloud-simulators`: local servers that speak real cloud APIs on top of one in-memory
 * cloud model, for testing cloud clients offline. This entry is the framework (the model, the
 * HTTP server with its fault control, `startSimulator`); each cloud is on its own subpath:
 * `/cloudstack`, `/exoscale`, `/openstack`, `/otc`, `/ec2`, `/opennebula`, `/vcloud`.
 */
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
