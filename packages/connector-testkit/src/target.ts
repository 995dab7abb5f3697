import type { ConnectorDefinition } from '@slipstream/connector-core';
import { defaultBadCredentials } from './credentials.js';

/** A connector and a working test cloud (usually its simulator) to run the conformance suite on. */
export interface ConformanceTarget {
  definition: ConnectorDefinition;
  /** Raw instance parameters for a working test cloud (e.g. a simulator URL). */
  parameters: Record<string, unknown>;
  /** Credentials the test cloud accepts. */
  credentials: Record<string, string>;
  /** Credentials it rejects with AUTH_FAILED; default: each secret credential value changed. */
  badCredentials?: Record<string, string>;
  /** What to launch; defaults: the first image and first size listed, the first zone when the connector has zones. */
  launch?: { image?: string; size?: string; zone?: string };
  /** waitFor timeout and poll interval for this cloud (defaults 60 s / 200 ms). */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /**
   * A VM id the test cloud has never known, in its id format, for the "unknown id" checks;
   * default: a fresh random UUID. Set it when the cloud rejects malformed ids.
   */
  unknownVmId?: string;
  /**
   * Called once after each suite that used this target (stop a simulator). `describeConformance`
   * given the object itself calls it once, after its last suite.
   */
  teardown?: () => Promise<void> | void;
}

/**
 * A target, or a function that prepares one (starts a simulator and returns its URL). Each suite
 * given a function calls it in its own `beforeAll`, so each suite gets a target of its own.
 */
export type TargetSource<T extends ConformanceTarget = ConformanceTarget> = T | (() => T | Promise<T>);

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_POLL_INTERVAL_MS = 200;

/** A target with every default applied. */
export interface ResolvedTarget {
  readonly definition: ConnectorDefinition;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly credentials: Readonly<Record<string, string>>;
  readonly badCredentials: Readonly<Record<string, string>>;
  readonly launch: { readonly image?: string; readonly size?: string; readonly zone?: string };
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly unknownVmId: string;
  readonly teardown: (() => Promise<void> | void) | undefined;
}

/** Applies the defaults, refusing a target the suite cannot run on with a message saying why. */
export function resolveTarget(target: ConformanceTarget, unknownVmId: string): ResolvedTarget {
  const problems: string[] = [];
  if (typeof target !== 'object' || target === null) {
    throw new TypeError(
      `The conformance target must be an object, got ${target === null ? 'null' : typeof target}.`,
    );
  }
  if (typeof target.definition !== 'object' || target.definition === null) {
    problems.push('"definition" must be the connector definition (the package\'s default export)');
  }
  if (!isRecord(target.parameters))
    problems.push('"parameters" must be an object of raw instance parameters');
  if (!isRecord(target.credentials))
    problems.push('"credentials" must be an object of credentials the test cloud accepts');
  if (target.badCredentials !== undefined && !isRecord(target.badCredentials)) {
    problems.push('"badCredentials" must be an object of credentials the test cloud rejects');
  }
  for (const key of ['timeoutMs', 'pollIntervalMs'] as const) {
    const value = target[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
      problems.push(`"${key}" must be a positive number of milliseconds`);
    }
  }
  if (target.teardown !== undefined && typeof target.teardown !== 'function')
    problems.push('"teardown" must be a function');
  if (problems.length > 0) {
    throw new TypeError(`The conformance target is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const credentials = { ...target.credentials };
  return {
    definition: target.definition,
    parameters: { ...target.parameters },
    credentials,
    badCredentials: target.badCredentials ?? defaultBadCredentials(target.definition, credentials),
    launch: { ...target.launch },
    timeoutMs: target.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    pollIntervalMs: target.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    unknownVmId: target.unknownVmId ?? unknownVmId,
    teardown: target.teardown,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
