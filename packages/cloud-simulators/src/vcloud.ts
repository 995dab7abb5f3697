/** `@slipstream/cloud-simulators/vcloud`: VMware Cloud Director 10.5 (API 37.0–38.0), OpenAPI login and the XML API. */
export {
  type RunningVcloud,
  startVcloud,
  VAPP_STATUS,
  VCLOUD_API_VERSIONS,
  type VcloudSimulatorOptions,
} from './vcloud/index.js';
