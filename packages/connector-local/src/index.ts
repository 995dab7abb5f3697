import { createLocalConnector } from './connector.js';

/**
 * `@slipstream/connector-local`: an in-process cloud implementing the whole connector contract.
 * The default export is what the SlipStream loader reads. The named exports are the factory (with
 * the clock its options take, for tests and demos that drive time) and the spec and state
 * constants; everything else is internal.
 */
const local = createLocalConnector();
export default local;

export { type Clock, ManualClock } from './clock.js';
export { createLocalConnector, type LocalConnectorOptions } from './connector.js';
export { LOCAL_CREDENTIALS, LOCAL_PARAMETERS } from './parameters.js';
export { LOCAL_NATIVE_STATES, LOCAL_STATES, type LocalNativeState } from './states.js';
