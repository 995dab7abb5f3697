import { createAwsConnector } from './connector.js';

/**
 * `@slipstream/connector-aws`: Amazon EC2 through the official AWS SDK for JavaScript v3, over
 * SlipStream's HTTP transport. The default export is what the SlipStream loader reads; the named
 * exports are the factory and the spec and state constants. Everything else is internal.
 */
const aws = createAwsConnector();
export default aws;

export { type AwsConnectorOptions, createAwsConnector } from './connector.js';
export { AWS_CREDENTIALS, AWS_PARAMETERS } from './parameters.js';
export { AWS_NATIVE_STATES, AWS_STATES, type AwsNativeState } from './states.js';
