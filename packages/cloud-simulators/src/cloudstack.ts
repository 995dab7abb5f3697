/** `@slipstream/cloud-simulators/cloudstack`: Apache CloudStack's native API, signed and paged. */
export {
  CLOUDSTACK_API_PATH,
  CLOUDSTACK_CATALOG,
  type CloudStackSimulatorOptions,
  createCloudStackFrontEnd,
  startCloudStack,
} from './cloudstack/index.js';
