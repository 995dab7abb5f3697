import type { RunningSimulator } from '@slipstream/cloud-simulators';
import {
  CLOUDSTACK_API_PATH,
  CLOUDSTACK_CATALOG,
  type CloudStackSimulatorOptions,
  startCloudStack,
} from '@slipstream/cloud-simulators/cloudstack';
import {
  type CreateInstanceOptions,
  createInstance,
  type LoadedInstance,
  type Session,
} from '@slipstream/connector-core';
import { captureLogs, type FaultTarget, type LogEntry } from '@slipstream/connector-testkit';
import definition from '../index.js';

/** Test helpers: a simulator, an instance of the connector on it, and what the connector logged. */

export const [ZONE_A, ZONE_B] = CLOUDSTACK_CATALOG.zones as [
  (typeof CLOUDSTACK_CATALOG.zones)[0],
  (typeof CLOUDSTACK_CATALOG.zones)[0],
];
export const [UBUNTU, DEBIAN] = CLOUDSTACK_CATALOG.images as [
  (typeof CLOUDSTACK_CATALOG.images)[0],
  (typeof CLOUDSTACK_CATALOG.images)[0],
];
export const [SMALL, MEDIUM] = CLOUDSTACK_CATALOG.sizes as [
  (typeof CLOUDSTACK_CATALOG.sizes)[0],
  (typeof CLOUDSTACK_CATALOG.sizes)[0],
];

export const SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNsaXBzdHJlYW0tY29ubmVjdG9yLXRlc3Qta2V5LTAx tester@example';

export interface Rig {
  readonly sim: RunningSimulator;
  readonly instance: LoadedInstance;
  readonly session: Session;
  readonly logs: LogEntry[];
  /** The account the simulator gave the session's credentials. */
  readonly accountId: string;
  close(): Promise<void>;
}

export interface RigOptions {
  readonly simulator?: CloudStackSimulatorOptions;
  readonly parameters?: Record<string, unknown>;
  readonly http?: CreateInstanceOptions['http'];
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50, ...options.simulator });
  const { logger, entries: logs } = captureLogs();
  let opened: LoadedInstance | undefined;
  try {
    const instance = await createInstance(definition, {
      parameters: {
        endpoint: `${sim.url}${CLOUDSTACK_API_PATH}`,
        'async.poll.interval.ms': 20,
        ...options.parameters,
      },
      logger,
      http: { backoffBaseMs: 5, backoffMaxMs: 20, ...options.http },
    });
    opened = instance;
    const session = await instance.session({ key: sim.credentials.key, secret: sim.credentials.secret });
    const account = sim.control.cloud.accountByKey(sim.credentials.key);
    if (!account) throw new Error('the simulator has no account for its own credentials');
    return {
      sim,
      instance,
      session,
      logs,
      accountId: account.id,
      async close() {
        await instance.close();
        await sim.close();
      },
    };
  } catch (error) {
    // A rig that never reaches its test would otherwise leave its simulator listening.
    await opened?.close();
    await sim.close();
    throw error;
  }
}

/**
 * The shared fault suite's target: a simulator of its own with short delays (as the conformance
 * suite's), its fault control, and the commands under which it counts listing and deploying VMs.
 * `teardown` stops the simulator.
 */
export async function faultTarget(options: CloudStackSimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50, ...options });
  return {
    definition,
    parameters: { endpoint: `${sim.url}${CLOUDSTACK_API_PATH}`, 'async.poll.interval.ms': 20 },
    credentials: { key: sim.credentials.key, secret: sim.credentials.secret },
    control: sim.control,
    operations: { list: 'listVirtualMachines', create: 'deployVirtualMachine' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    // CloudStack ids are UUIDs; a well-formed one it never knew.
    unknownVmId: '00000000-0000-4000-8000-000000000000',
    teardown: () => sim.close(),
  };
}

/** A launch request for the default catalog, with a fresh idempotency key. */
export function launchRequest(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    image: UBUNTU.id,
    size: SMALL.id,
    zone: ZONE_A.id,
    idempotencyKey: `key-${name.replace(/[^A-Za-z0-9._:-]/g, '-')}-${Math.random().toString(36).slice(2)}`,
    ...extra,
  };
}
