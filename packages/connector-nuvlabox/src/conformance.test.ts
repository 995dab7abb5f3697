import { describeConformance } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the OpenNebula simulator
// serving XML-RPC at a NuvlaBox's one-proxy path, with the box's default networks and sizes.
describeConformance('nuvlabox', () => faultTarget());
