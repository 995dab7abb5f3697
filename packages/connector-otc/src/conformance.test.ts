import { describeConformance } from '@slipstream/connector-testkit';
import { faultTarget } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the OTC simulator, once
// with an IAM user (token mode: only IAM is set, ECS and IMS come from the token's catalog, as on
// the real cloud) and once with an access key (AK/SK mode, the region's endpoints replaced by the
// simulator's). The targets are the fault suite's, whose fault control this suite leaves alone.
describeConformance('otc (IAM user)', () => faultTarget('password'));
describeConformance('otc (access key)', () => faultTarget('access-key'));
