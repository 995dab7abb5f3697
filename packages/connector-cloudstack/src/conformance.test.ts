import { describeConformance } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the CloudStack simulator,
// with short delays so that VMs boot, stop and expunge within milliseconds: the fault suite's
// target, whose fault control this suite leaves alone.
describeConformance('cloudstack', () => faultTarget());
