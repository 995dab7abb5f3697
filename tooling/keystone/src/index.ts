export {
  type CreatedProjectAndUser,
  type EndpointsSpec,
  KeystoneAdmin,
  type ProjectAndUserSpec,
  type RegisteredService,
} from './admin.js';
export { type KeystoneConfOptions, type KeystonePaths, keystonePaths, renderKeystoneConf } from './config.js';
export { isKeystoneUnavailable, KeystoneUnavailableError } from './errors.js';
export { type RunningKeystone, type StartKeystoneOptions, startKeystone } from './harness.js';
export {
  type CatalogEndpoint,
  type CatalogService,
  type IssuedToken,
  KeystoneApiError,
  type KeystoneCredentials,
  requestToken,
} from './identity-api.js';
export {
  type EnsureInstalledOptions,
  ensureKeystoneInstalled,
  INSTALL_SCRIPT,
  type InstallHost,
  KEYSTONE_FILES,
  keystoneUnavailableReason,
} from './install.js';
