import { createCloudStackConnector } from './connector.js';

/**
 * `@slipstream/connector-cloudstack`: Apache CloudStack through its native API. The default
 * export is what the SlipStream loader reads; the named exports serve documentation, tests and
 * tools.
 */
const cloudstack = createCloudStackConnector();
export default cloudstack;

export {
  type ClientOptions,
  type CloudStackAnswer,
  CloudStackClient,
  type Json,
  type Listing,
  type Params,
  type RequestOptions,
} from './client.js';
export { CLOUDSTACK_CAPABILITIES, createCloudStackConnector } from './connector.js';
export { type CloudStackFailure, errorCodeFor, failureError, isQuotaFailure } from './errors.js';
export { CLOUDSTACK_CREDENTIALS, CLOUDSTACK_PARAMETERS, type CloudStackSettings } from './parameters.js';
export { encodeParams, javaUrlEncode, signature, stringToSign } from './signing.js';
export { CLOUDSTACK_NATIVE_STATES, CLOUDSTACK_STATES, type CloudStackNativeState } from './states.js';
export { toVm } from './vm.js';
