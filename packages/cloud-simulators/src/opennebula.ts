/** `@slipstream/cloud-simulators/opennebula`: OpenNebula's XML-RPC API, as oned 6.x serves it. */
export {
  OPENNEBULA_ERROR_CODES,
  type OpenNebulaNetworkSpec,
  type OpenNebulaSimulatorOptions,
  type RunningOpenNebula,
  startOpenNebula,
} from './opennebula/index.js';
