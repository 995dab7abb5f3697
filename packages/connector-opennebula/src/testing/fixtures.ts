import {
  type OpenNebulaSimulatorOptions,
  type RunningOpenNebula,
  startOpenNebula,
} from '@slipstream/cloud-simulators/opennebula';
import {
  type ConnectorDefinition,
  type CreateInstanceOptions,
  type Credentials,
  createInstance,
  type LoadedInstance,
  type Session,
} from '@slipstream/connector-core';
import { captureLogs, type FaultTarget, type LogEntry } from '@slipstream/connector-testkit';
import definition from '../index.js';

/** Shared by the tests: an OpenNebula simulator, an instance of the connector on it, and a session. Not exported. */

export const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

/** The simulator's account as the connector's credentials. */
export function credentialsOf(sim: RunningOpenNebula): Credentials {
  return { username: sim.credentials.key, password: sim.credentials.secret };
}

/** The connector's parameters for a simulator: its XML-RPC URL, both networks by name, fast polls. */
export function parametersOf(sim: RunningOpenNebula): Record<string, unknown> {
  const [first, second] = sim.networks;
  return {
    endpoint: sim.rpcUrl,
    ...(first === undefined ? {} : { 'network.public': first.name }),
    ...(second === undefined ? {} : { 'network.private': second.name }),
    'poll.interval.ms': 10,
  };
}

export interface Target {
  readonly sim: RunningOpenNebula;
  readonly instance: LoadedInstance;
  readonly session: Session;
  readonly logs: LogEntry[];
  close(): Promise<void>;
}

export interface TargetOptions {
  readonly sim?: OpenNebulaSimulatorOptions;
  readonly parameters?: Record<string, unknown>;
  readonly http?: CreateInstanceOptions['http'];
  readonly definition?: ConnectorDefinition;
}

export async function startTarget(options: TargetOptions = {}): Promise<Target> {
  const sim = await startOpenNebula({ bootDelayMs: 30, haltDelayMs: 30, ...options.sim });
  const { logger, entries: logs } = captureLogs();
  const instance = await createInstance(options.definition ?? definition, {
    instance: 'one-test',
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
 * control, and the methods under which it counts listing and creating VMs. `teardown` stops it.
 */
export async function faultTarget(options: OpenNebulaSimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startOpenNebula({ bootDelayMs: 50, haltDelayMs: 50, ...options });
  return {
    definition,
    parameters: parametersOf(sim),
    credentials: credentialsOf(sim),
    control: sim.control,
    operations: { list: 'one.vmpool.info', create: 'one.template.instantiate' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    // A VM id as oned writes them, so that the unknown-id checks reach oned.
    unknownVmId: '987654',
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
