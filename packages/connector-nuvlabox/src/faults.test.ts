import { describeFaults } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit) through the box's one-proxy path: the
// protocol and its faults are OpenNebula's, tested in @slipstream/connector-opennebula; this shows
// the NuvlaBox defaults change none of it.
describeFaults('nuvlabox', () => faultTarget());
