/** `@slipstream/cloud-simulators/exoscale`: the Exoscale API v2, EXO2-HMAC-SHA256 signed. */
export { EXOSCALE_CATALOG, type RunningExoscale, startExoscale } from './exoscale/index.js';
