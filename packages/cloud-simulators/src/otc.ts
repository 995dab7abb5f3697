/** `@slipstream/cloud-simulators/otc`: Open Telekom Cloud's IAM, API gateway (AK/SK), ECS and IMS. */
export {
  type AccessKey,
  OTC_DEFAULT_DOMAIN,
  type OtcSimulatorOptions,
  type RunningOtc,
  startOtc,
} from './otc/index.js';
