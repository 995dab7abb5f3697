import { createExoscaleConnector } from './connector.js';

/**
 * `@slipstream/connector-exoscale`: the Exoscale API v2 as a SlipStream connector. The default
 * export is what the SlipStream loader reads; the named exports serve documentation and tests.
 */
const exoscale = createExoscaleConnector();
export default exoscale;

export {
  createExoscaleConnector,
  EXOSCALE_CAPABILITIES,
  type ExoscaleConnectorOptions,
} from './connector.js';
export {
  DISK_SIZE_GB,
  EXOSCALE_CREDENTIALS,
  EXOSCALE_DEFAULTS,
  EXOSCALE_PARAMETERS,
  type ExoscaleSettings,
} from './parameters.js';
export { EXO2_SCHEME, type RequestToSign, type Signed, signRequest } from './signing.js';
export { EXOSCALE_NATIVE_STATES, EXOSCALE_STATES, type ExoscaleNativeState } from './states.js';
export { defaultEndpoint, EXOSCALE_ZONE_NAMES, type ExoscaleZoneName } from './zones.js';
