import { describeFaults } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit): a 503 and a reset on DescribeInstances
// retried, a lasting throttle RATE_LIMITED, exactly the launched instances when the answer to
// RunInstances is lost, a body cut short CLOUD_ERROR, a wrong secret AUTH_FAILED, a hanging cloud
// TIMEOUT, and no secret in any error or log line.
describeFaults('aws', () => faultTarget());
