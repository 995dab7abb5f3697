import { type RunningOtc, startOtc } from '@slipstream/cloud-simulators/otc';
import { describeConformance } from '@slipstream/connector-testkit';
import definition from './index.js';
import { simulatorParameters } from './testing/fixtures.js';

// The shared conformance suite (@slipstream/connector-testkit) against the OTC simulator, once
// with an IAM user (token mode) and once with an access key (AK/SK mode). The region's endpoints
// are replaced by the simulator's, which serves IAM, ECS, IMS and VPC on one port.

let tokenSim: RunningOtc | undefined;

describeConformance('otc (IAM user)', async () => {
  tokenSim = await startOtc({ bootDelayMs: 50, haltDelayMs: 50 });
  return {
    definition,
    // Only IAM is set: ECS and IMS come from the token's catalog, as on the real cloud.
    parameters: simulatorParameters(tokenSim, false),
    credentials: {
      username: tokenSim.user.username,
      password: tokenSim.user.password,
      domain: tokenSim.user.domain,
    },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    teardown: () => tokenSim?.close(),
  };
});

let keySim: RunningOtc | undefined;

describeConformance('otc (access key)', async () => {
  keySim = await startOtc({ bootDelayMs: 50, haltDelayMs: 50 });
  return {
    definition,
    parameters: simulatorParameters(keySim),
    credentials: { 'access.key': keySim.accessKey, 'secret.key': keySim.secretKey },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    teardown: () => keySim?.close(),
  };
});
