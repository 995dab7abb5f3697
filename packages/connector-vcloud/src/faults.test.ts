import { describeFaults } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit): a 503 and a reset on the vm query
// retried, a lasting 429 RATE_LIMITED with retryAfterMs, exactly the launched vApps when the answer
// to instantiateVAppTemplate is lost, a body cut short CLOUD_ERROR, a wrong password AUTH_FAILED,
// a hanging cloud TIMEOUT, and no secret in any error or log line.
describeFaults('vcloud', () => faultTarget());
