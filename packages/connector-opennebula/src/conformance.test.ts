import { describeConformance } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the OpenNebula simulator,
// with short boot and halt delays.
describeConformance('opennebula', () => faultTarget());
