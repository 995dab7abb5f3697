import {
  type OpenNebulaSimulatorOptions,
  type RunningOpenNebula,
  startOpenNebula,
} from '@slipstream/cloud-simulators/opennebula';
import type { Credentials } from '@slipstream/connector-core';
import type { FaultTarget } from '@slipstream/connector-testkit';
import definition from '../index.js';

/** Shared by the tests: an OpenNebula simulator answering at a NuvlaBox's one-proxy path. Not exported. */

export const BOX = 'nuvlabox-test.example.org';

export function startBox(options: OpenNebulaSimulatorOptions = {}): Promise<RunningOpenNebula> {
  return startOpenNebula({ path: '/one-proxy/xmlrpc', bootDelayMs: 50, haltDelayMs: 50, ...options });
}

export function credentialsOf(sim: RunningOpenNebula): Credentials {
  return { username: sim.credentials.key, password: sim.credentials.secret };
}

/** The box reached over plain HTTP on loopback: `endpoint` set, the box's networks by default. */
export function parametersOf(sim: RunningOpenNebula): Record<string, unknown> {
  return { box: BOX, endpoint: sim.rpcUrl, 'poll.interval.ms': 10 };
}

/** The conformance and fault suites' target; `teardown` stops the simulator. */
export async function faultTarget(options: OpenNebulaSimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startBox(options);
  return {
    definition,
    parameters: parametersOf(sim),
    credentials: credentialsOf(sim),
    control: sim.control,
    operations: { list: 'one.vmpool.info', create: 'one.template.instantiate' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    unknownVmId: '987654',
    teardown: () => sim.close(),
  };
}
