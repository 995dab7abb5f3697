import { type Ec2SimulatorOptions, type RunningEc2, startEc2 } from '@slipstream/cloud-simulators/ec2';
import {
  type CreateInstanceOptions,
  type Credentials,
  createInstance,
  type LoadedInstance,
  type Session,
} from '@slipstream/connector-core';
import { captureLogs, type FaultTarget, type LogEntry } from '@slipstream/connector-testkit';
import definition from '../index.js';

/** Shared by the tests: an EC2 simulator, an instance of the connector on it, and a session. Not exported. */

export const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

/** The simulator's account as the connector's credentials. */
export function credentialsOf(sim: RunningEc2): Credentials {
  const { key, secret, sessionToken } = sim.credentials;
  return sessionToken === undefined ? { key, secret } : { key, secret, 'session.token': sessionToken };
}

/** The connector's parameters for a simulator. */
export function parametersOf(sim: RunningEc2): Record<string, unknown> {
  return { region: sim.region, endpoint: sim.url, 'image.owners': 'self,amazon' };
}

export interface Target {
  readonly sim: RunningEc2;
  readonly instance: LoadedInstance;
  readonly session: Session;
  readonly logs: LogEntry[];
  close(): Promise<void>;
}

export interface TargetOptions {
  readonly sim?: Ec2SimulatorOptions;
  readonly parameters?: Record<string, unknown>;
  readonly http?: CreateInstanceOptions['http'];
}

export async function startTarget(options: TargetOptions = {}): Promise<Target> {
  const sim = await startEc2({ bootDelayMs: 30, haltDelayMs: 30, ...options.sim });
  const { logger, entries: logs } = captureLogs();
  const instance = await createInstance(definition, {
    instance: 'aws-test',
    parameters: { ...parametersOf(sim), ...options.parameters },
    logger,
    http: { backoffBaseMs: 1, backoffMaxMs: 5, ...options.http },
  });
  const session = await instance.session(credentialsOf(sim));
  return {
    sim,
    instance,
    session,
    logs,
    async close() {
      await instance.close();
      await sim.close();
    },
  };
}

/**
 * The conformance and fault suites' target: a simulator of its own with short delays, its fault
 * control, and the actions under which it counts listing and creating instances. `teardown` stops
 * the simulator.
 */
export async function faultTarget(options: Ec2SimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startEc2({ bootDelayMs: 50, haltDelayMs: 50, ...options });
  return {
    definition,
    parameters: parametersOf(sim),
    credentials: credentialsOf(sim),
    control: sim.control,
    operations: { list: 'DescribeInstances', create: 'RunInstances' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    // In EC2's id format, so that the unknown-id checks reach EC2 rather than stop at the format.
    unknownVmId: 'i-0123456789abcdef0',
    // EC2 throttles with 503 RequestLimitExceeded and no Retry-After.
    throttlesWithRetryAfter: false,
    teardown: () => sim.close(),
  };
}

/** The rejection of `call`, for tests that expect one. */
export async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
