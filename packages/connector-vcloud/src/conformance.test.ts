import { describeConformance } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the vCloud Director
// simulator, with short boot and halt delays.
describeConformance('vcloud', () => faultTarget());
