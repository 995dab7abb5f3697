import type { SimulatorOptions } from '@slipstream/cloud-simulators';
import { type RunningExoscale, startExoscale } from '@slipstream/cloud-simulators/exoscale';
import {
  type CreateInstanceOptions,
  createInstance,
  type LoadedInstance,
  type Session,
} from '@slipstream/connector-core';
import { captureLogs, type FaultTarget, type LogEntry } from '@slipstream/connector-testkit';
import definition from '../index.js';

/** Shared by the tests: a simulator, an instance of the connector on it, and a session. Not exported. */

export const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';
export const UBUNTU = 'Linux Ubuntu 24.04 LTS 64-bit';
export const PRIVATE_TEMPLATE = 'slipstream-base-2026';

export interface Target {
  readonly sim: RunningExoscale;
  readonly instance: LoadedInstance;
  readonly session: Session;
  readonly logs: LogEntry[];
  /** The model id of the simulator's account. */
  readonly account: string;
  close(): Promise<void>;
}

export interface TargetOptions {
  readonly sim?: SimulatorOptions;
  readonly parameters?: Record<string, unknown>;
  readonly http?: CreateInstanceOptions['http'];
  /** Path of the endpoint below the simulator URL; default `/v2`. */
  readonly endpointPath?: string;
}

export async function startTarget(options: TargetOptions = {}): Promise<Target> {
  const sim = await startExoscale({ bootDelayMs: 30, haltDelayMs: 30, ...options.sim });
  const { logger, entries: logs } = captureLogs();
  const instance = await createInstance(definition, {
    instance: 'exo-test',
    parameters: {
      endpoint: `${sim.url}${options.endpointPath ?? '/v2'}`,
      'poll.interval.ms': 10,
      ...options.parameters,
    },
    logger,
    http: { backoffBaseMs: 1, backoffMaxMs: 5, ...options.http },
  });
  const session = await instance.session(sim.credentials);
  const account = sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '';
  return {
    sim,
    instance,
    session,
    logs,
    account,
    async close() {
      await instance.close();
      await sim.close();
    },
  };
}

/**
 * The conformance and fault suites' target: a simulator of its own with short delays, its fault
 * control, and the operations under which it counts listing and creating instances. `teardown`
 * stops the simulator.
 */
export async function faultTarget(options: SimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startExoscale({ bootDelayMs: 50, haltDelayMs: 50, ...options });
  return {
    definition,
    parameters: { endpoint: `${sim.url}/v2`, 'poll.interval.ms': 10 },
    credentials: { ...sim.credentials },
    control: sim.control,
    operations: { list: 'list-instances', create: 'create-instance' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    teardown: () => sim.close(),
  };
}

/** Runs `call` and returns what it threw; fails the test when it does not throw. */
export async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
