import { createLocalConnector } from './connector.js';

/**
 * `@slipstream/connector-local`: an in-process cloud implementing the whole connector contract.
 * The default export is what the SlipStream loader reads; the named exports serve documentation,
 * tests and tools that drive the model directly.
 */
const local = createLocalConnector();
export default local;

export { type LocalAccount, parseAccounts } from './accounts.js';
export { LOCAL_IMAGES, LOCAL_SIZES, LOCAL_ZONE_IDS, LOCAL_ZONES } from './catalog.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { LOCAL_CLOUD_DEFAULTS, LocalCloud, type LocalCloudOptions, type LocalVm } from './cloud.js';
export { createLocalConnector, LOCAL_CAPABILITIES, type LocalConnectorOptions } from './connector.js';
export { LOCAL_CREDENTIALS, LOCAL_PARAMETERS } from './parameters.js';
export { LOCAL_NATIVE_STATES, LOCAL_STATES, type LocalNativeState } from './states.js';
