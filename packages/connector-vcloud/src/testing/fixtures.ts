import {
  type RunningVcloud,
  startVcloud,
  type VcloudSimulatorOptions,
} from '@slipstream/cloud-simulators/vcloud';
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

/** Shared by the tests: a vCloud Director simulator, an instance of the connector on it, and a session. Not exported. */

export const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

export function credentialsOf(sim: RunningVcloud): Credentials {
  return { username: sim.credentials.key, password: sim.credentials.secret };
}

/** The connector's parameters for a simulator: its endpoint, org, VDC, catalog and network, fast polls. */
export function parametersOf(sim: RunningVcloud): Record<string, unknown> {
  return {
    endpoint: sim.endpoint,
    org: sim.org,
    vdc: sim.vdc,
    catalog: sim.catalog,
    network: sim.network,
    'poll.interval.ms': 10,
  };
}

export interface Target {
  readonly sim: RunningVcloud;
  readonly instance: LoadedInstance;
  readonly session: Session;
  readonly logs: LogEntry[];
  close(): Promise<void>;
}

export interface TargetOptions {
  readonly sim?: VcloudSimulatorOptions;
  readonly parameters?: Record<string, unknown>;
  readonly http?: CreateInstanceOptions['http'];
  readonly definition?: ConnectorDefinition;
}

export async function startTarget(options: TargetOptions = {}): Promise<Target> {
  const sim = await startVcloud({ bootDelayMs: 30, haltDelayMs: 30, ...options.sim });
  const { logger, entries: logs } = captureLogs();
  const instance = await createInstance(options.definition ?? definition, {
    instance: 'vcd-test',
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
      await session.close?.();
      await instance.close();
      await sim.close();
    },
  };
}

/** The conformance and fault suites' target; `teardown` stops the simulator. */
export async function faultTarget(options: VcloudSimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startVcloud({ bootDelayMs: 50, haltDelayMs: 50, ...options });
  return {
    definition,
    parameters: parametersOf(sim),
    credentials: credentialsOf(sim),
    control: sim.control,
    operations: { list: 'query:vm', create: 'instantiateVAppTemplate' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    // A vApp id as vCloud writes them, so that the unknown-id checks reach vCloud.
    unknownVmId: 'vapp-00000000-0000-4000-8000-000000000000',
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
