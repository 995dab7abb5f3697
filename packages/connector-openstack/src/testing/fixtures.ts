import {
  type OpenStackSimulatorOptions,
  type RunningOpenStack,
  startOpenStack,
} from '@slipstream/cloud-simulators/openstack';
import {
  type ConnectorDefinition,
  type CreateInstanceOptions,
  createInstance,
  type LaunchRequest,
  type LoadedInstance,
  type Session,
} from '@slipstream/connector-core';
import { captureLogs, type FaultTarget, type LogEntry } from '@slipstream/connector-testkit';
import definition from '../index.js';

/** Test helpers: an OpenStack simulator, an instance of the connector on it, and what it logged. */

export interface Rig {
  readonly sim: RunningOpenStack;
  readonly instance: LoadedInstance;
  readonly session: Session;
  readonly logs: LogEntry[];
  /** The model account of the simulator's user. */
  readonly accountId: string;
  /** The credentials the session was opened with. */
  readonly credentials: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface RigOptions {
  readonly simulator?: OpenStackSimulatorOptions;
  readonly parameters?: Record<string, unknown>;
  readonly http?: CreateInstanceOptions['http'];
  /** Default: the package's default export. */
  readonly definition?: ConnectorDefinition;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const sim = await startOpenStack({ bootDelayMs: 50, haltDelayMs: 50, ...options.simulator });
  const { logger, entries: logs } = captureLogs();
  let opened: LoadedInstance | undefined;
  try {
    const instance = await createInstance(options.definition ?? definition, {
      parameters: { endpoint: sim.authUrl, 'service.region': sim.region, ...options.parameters },
      logger,
      http: { backoffBaseMs: 5, backoffMaxMs: 20, ...options.http },
    });
    opened = instance;
    const credentials = {
      username: sim.user.username,
      password: sim.user.password,
      project: sim.user.project,
      domain: sim.user.domain,
    };
    const session = await instance.session(credentials);
    const account = sim.control.cloud.accountByKey(sim.user.username);
    if (!account) throw new Error('the simulator has no account for its own user');
    return {
      sim,
      instance,
      session,
      logs,
      accountId: account.id,
      credentials,
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

/** A launch request for the simulator's catalog, with a fresh idempotency key. */
export function launchRequest(rig: Rig, name: string, extra: Partial<LaunchRequest> = {}): LaunchRequest {
  const { cloud } = rig.sim.control;
  const [image] = cloud.images;
  const [size] = cloud.sizes;
  if (!image || !size) throw new Error('the simulator has no image or no size');
  return {
    name,
    image: image.id,
    size: size.id,
    idempotencyKey: `key-${name.replace(/[^A-Za-z0-9._:-]/g, '-')}-${Math.random().toString(36).slice(2)}`,
    ...extra,
  };
}

/**
 * The connector on a fresh simulator as the shared fault suite's target: Nova counts listing
 * servers as `list-servers-detail` and creating one as `create-server`. The credentials are the
 * simulator's Keystone user, so the suite's wrong secret is a wrong Keystone password, which
 * Keystone refuses (401) and the connector reports AUTH_FAILED. `teardown` stops the simulator.
 */
export async function faultTarget(options: OpenStackSimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startOpenStack({ bootDelayMs: 50, haltDelayMs: 50, ...options });
  return {
    definition,
    parameters: { endpoint: sim.authUrl, 'service.region': sim.region },
    credentials: {
      username: sim.user.username,
      password: sim.user.password,
      project: sim.user.project,
      domain: sim.user.domain,
    },
    control: sim.control,
    operations: { list: 'list-servers-detail', create: 'create-server' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    teardown: () => sim.close(),
  };
}
