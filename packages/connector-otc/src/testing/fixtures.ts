import { type OtcSimulatorOptions, type RunningOtc, startOtc } from '@slipstream/cloud-simulators/otc';
import {
  type CreateInstanceOptions,
  createInstance,
  type LaunchRequest,
  type LoadedInstance,
  type Session,
} from '@slipstream/connector-core';
import { captureLogs, type FaultTarget, type LogEntry } from '@slipstream/connector-testkit';
import definition from '../index.js';

/** Test helpers: an OTC simulator, an instance of the connector on it, and what it logged. */

export type Mode = 'password' | 'access-key';

export interface Rig {
  readonly sim: RunningOtc;
  readonly instance: LoadedInstance;
  readonly logs: LogEntry[];
  /** The Authorization headers the simulator received, in order. */
  readonly authorizations: string[];
  /** The X-Project-Id headers the simulator received (undefined where there was none). */
  readonly projectIds: Array<string | undefined>;
  /** The IAM tokens (X-Auth-Token) the simulator received, in order. */
  readonly tokens: string[];
  /** Removes every fault rule but the one that watches the headers. */
  clearFaults(): void;
  /** Good credentials of the given mode for the simulator's first user. */
  credentials(mode: Mode, extra?: Record<string, string>): Record<string, string>;
  session(mode: Mode, extra?: Record<string, string>): Promise<Session>;
  close(): Promise<void>;
}

export interface RigOptions {
  readonly simulator?: OtcSimulatorOptions;
  readonly parameters?: Record<string, unknown>;
  /** Point ECS, IMS and VPC at the simulator too (AK/SK needs them; with tokens the catalog has them). */
  readonly fixedEndpoints?: boolean;
  /** The instance's transport settings, on top of short backoffs. */
  readonly http?: CreateInstanceOptions['http'];
}

/** The simulator as the instance's endpoints: IAM always, ECS/IMS/VPC when asked. */
export function simulatorParameters(sim: RunningOtc, fixedEndpoints = true): Record<string, string> {
  return {
    region: 'eu-de',
    'endpoint.iam': sim.authUrl,
    ...(fixedEndpoints
      ? { 'endpoint.ecs': sim.url, 'endpoint.ims': sim.imageUrl, 'endpoint.vpc': sim.url }
      : {}),
  };
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const sim = await startOtc({ bootDelayMs: 50, haltDelayMs: 50, ...options.simulator });
  const authorizations: string[] = [];
  const projectIds: Array<string | undefined> = [];
  const tokens: string[] = [];
  // A rule that never hits, only to see each request's headers.
  const watch = (): void =>
    sim.control.addLatency(0, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        const authorization = request.headers.authorization;
        if (typeof authorization === 'string') authorizations.push(authorization);
        const projectId = request.headers['x-project-id'];
        projectIds.push(typeof projectId === 'string' ? projectId : undefined);
        const token = request.headers['x-auth-token'];
        if (typeof token === 'string') tokens.push(token);
        return false;
      },
    });
  watch();
  const { logger, entries: logs } = captureLogs();
  let instance: LoadedInstance;
  try {
    instance = await createInstance(definition, {
      parameters: { ...simulatorParameters(sim, options.fixedEndpoints ?? true), ...options.parameters },
      logger,
      http: { backoffBaseMs: 5, backoffMaxMs: 20, ...options.http },
    });
  } catch (error) {
    await sim.close();
    throw error;
  }
  const credentials = (mode: Mode, extra: Record<string, string> = {}): Record<string, string> => ({
    ...(mode === 'password'
      ? { username: sim.user.username, password: sim.user.password, domain: sim.user.domain }
      : { 'access.key': sim.accessKey, 'secret.key': sim.secretKey }),
    ...extra,
  });
  return {
    sim,
    instance,
    logs,
    authorizations,
    projectIds,
    tokens,
    credentials,
    clearFaults() {
      sim.control.clearFaults();
      watch();
    },
    session: (mode, extra) => Promise.resolve(instance.session(credentials(mode, extra))),
    async close() {
      await instance.close();
      await sim.close();
    },
  };
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
    idempotencyKey: `key-${name}-${Math.random().toString(36).slice(2)}`,
    ...extra,
  };
}

/** Every log line as one text, to search for secrets. */
export function logText(logs: readonly LogEntry[]): string {
  return logs.map((entry) => `${entry.message ?? ''} ${JSON.stringify(entry.fields)}`).join('\n');
}

/**
 * The connector on a fresh simulator as the shared fault suite's target, signing in with `mode`:
 * with an access key, ECS, IMS and VPC are the simulator's fixed URLs and the suite's wrong secret
 * is a wrong secret key, which the API gateway refuses (APIGW.0301); with an IAM user, only IAM is
 * fixed and the wrong secret is a wrong password, which IAM refuses. ECS counts listing servers as
 * `list-servers-detail` and creating one as `create-server`, as Nova does. `teardown` stops the
 * simulator.
 */
export async function faultTarget(mode: Mode, options: OtcSimulatorOptions = {}): Promise<FaultTarget> {
  const sim = await startOtc({ bootDelayMs: 50, haltDelayMs: 50, ...options });
  return {
    definition,
    parameters: simulatorParameters(sim, mode === 'access-key'),
    credentials:
      mode === 'access-key'
        ? { 'access.key': sim.accessKey, 'secret.key': sim.secretKey }
        : { username: sim.user.username, password: sim.user.password, domain: sim.user.domain },
    control: sim.control,
    operations: { list: 'list-servers-detail', create: 'create-server' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    teardown: () => sim.close(),
  };
}
