import { describeConformance } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the Exoscale simulator,
// with short boot and halt delays and a fast operation poll: the fault suite's target, whose
// fault control this suite leaves alone.
describeConformance('exoscale', () => faultTarget());
