import { describeConformance } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the OpenStack simulator
// (Keystone, Nova and Glance), with short delays so that servers boot, stop and go within
// milliseconds: the fault suite's target, whose fault control this suite leaves alone.
describeConformance('openstack', () => faultTarget());
