import { createOtcConnector } from './connector.js';

/**
 * `@slipstream/connector-otc`: Open Telekom Cloud, built on `@slipstream/connector-openstack`.
 * The default export is what the SlipStream loader reads; the named exports serve documentation,
 * tests and tools.
 */
const otc = createOtcConnector();
export default otc;

export { otcAccess } from './access.js';
export { AccessKeySigner, isProjectId, ProjectLookup, type ProjectLookupOptions } from './aksk.js';
export { createOtcConnector } from './connector.js';
export {
  type AccessKeyCredentials,
  type OtcCredentials,
  type PasswordCredentials,
  readCredentials,
} from './credentials.js';
export { OtcEndpoints, type OtcEndpointsOptions } from './endpoints.js';
export { type OtcFault, otcErrorFromResponse, readOtcFault } from './errors.js';
export {
  OTC_CREDENTIALS,
  OTC_PARAMETERS,
  type OtcSettings,
  openStackSettingsOf,
  otcSettings,
} from './parameters.js';
export {
  isOtcRegion,
  OTC_REGIONS,
  type OtcRegion,
  type RegionEndpoints,
  regionEndpoints,
} from './regions.js';
export {
  type AccessKeyPair,
  authorization,
  type CanonicalParts,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  SDK_DATE_HEADER,
  SDK_HMAC_SHA256,
  type SignableRequest,
  sdkDate,
  sdkEscape,
  signature,
  signRequest,
  stringToSign,
} from './signing.js';
