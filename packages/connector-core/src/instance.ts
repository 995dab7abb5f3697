import type {
  CallOptions,
  ConnectorDefinition,
  ConnectorInstance,
  DescribeQuery,
  LaunchRequest,
  Session,
  Vm,
} from './contract.js';
import { ConnectorError, isAbortError, throwIfAborted } from './errors.js';
import { createHttpTransport, type HttpTransport, type HttpTransportOptions } from './http.js';
import { type Logger, silentLogger } from './logger.js';
import {
  COMMON_PARAMETERS,
  type Credentials,
  type FieldSpec,
  type FieldValues,
  isSecretField,
  type ParameterSpec,
  validateFields,
} from './parameters.js';
import { redactValues } from './redact.js';
import { isVmState } from './states.js';

/** A connector instance as core hands it out: validated, guarded, with its own HTTP transport. */
export interface LoadedInstance {
  readonly name: string;
  readonly connector: string;
  readonly definition: ConnectorDefinition;
  /** Validated parameters with defaults, the common ones included. Contains secret values: never log. */
  readonly parameters: FieldValues;
  /** Opens a session for one user; CREDENTIALS_INVALID when the credentials do not match the specs. */
  session(credentials: Readonly<Record<string, unknown>>): Promise<Session>;
  close(): Promise<void>;
}

export interface CreateInstanceOptions {
  /** Instance name; defaults to the connector name. */
  readonly instance?: string | undefined;
  /** Raw parameter values (strings from configuration or typed JSON). */
  readonly parameters?: Readonly<Record<string, unknown>> | undefined;
  readonly logger?: Logger | undefined;
  /** Transport settings other than the concurrency cap, which comes from `max.iaas.workers`. */
  readonly http?: Omit<HttpTransportOptions, 'maxConcurrency' | 'connector' | 'instance'> | undefined;
}

/** Every parameter spec of a connector's instances: core's common ones, then the connector's. */
export function instanceParameterSpecs(definition: Pick<ConnectorDefinition, 'parameters'>): ParameterSpec[] {
  return [...COMMON_PARAMETERS, ...definition.parameters];
}

/**
 * Validates the parameters and creates one instance. Throws CONFIG_INVALID listing every
 * parameter problem; a `create` that throws becomes CONNECTOR_LOAD_FAILED.
 */
export async function createInstance(
  definition: ConnectorDefinition,
  options: CreateInstanceOptions = {},
): Promise<LoadedInstance> {
  const name = options.instance ?? definition.name;
  const specs = instanceParameterSpecs(definition);
  const { values, problems } = validateFields(specs, options.parameters, {
    subject: 'parameter',
    instance: name,
  });
  if (problems.length > 0) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Instance "${name}" (${definition.name}) has invalid parameters:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
      { connector: definition.name, instance: name, problems },
    );
  }
  const logger = options.logger ?? silentLogger;
  const parameterSecrets = secretValues(specs, values);
  const http = createHttpTransport({
    ...options.http,
    connector: definition.name,
    instance: name,
    maxConcurrency: Number(values['max.iaas.workers']),
    onDebug: options.http?.onDebug ?? ((event) => logger.debug({ http: event }, 'http')),
  });
  let created: ConnectorInstance;
  try {
    created = await definition.create({ instance: name, parameters: values, http, logger });
  } catch (error) {
    await http.close();
    // A connector that rejects its parameters beyond what the specs can express (a malformed
    // accounts list, say) reports CONFIG_INVALID itself: that stays a configuration problem.
    if (ConnectorError.hasCode(error, 'CONFIG_INVALID')) {
      throw toConnectorError(
        error,
        { definition, instance: name, http, secrets: parameterSecrets },
        'create',
      );
    }
    throw new ConnectorError(
      'CONNECTOR_LOAD_FAILED',
      `Connector "${definition.name}" could not create instance "${name}": ${describe(error, parameterSecrets)}`,
      {
        connector: definition.name,
        instance: name,
        cause: sanitizeError(error, parameterSecrets),
      },
    );
  }
  const guardContext = { definition, instance: name, http };
  return {
    name,
    connector: definition.name,
    definition,
    parameters: values,
    async session(credentials) {
      const validated = validateFields(definition.credentials, credentials, {
        subject: 'credential',
        instance: name,
      });
      if (validated.problems.length > 0) {
        throw new ConnectorError(
          'CREDENTIALS_INVALID',
          `Credentials for instance "${name}" (${definition.name}) are incomplete or malformed:\n${validated.problems.map((p) => `  - ${p.message}`).join('\n')}`,
          { connector: definition.name, instance: name, problems: validated.problems },
        );
      }
      const secrets = [...parameterSecrets, ...secretValues(definition.credentials, validated.values)];
      const credentialValues: Credentials = Object.fromEntries(
        Object.entries(validated.values).map(([key, value]) => [key, String(value)]),
      );
      const session = await guarded({ ...guardContext, secrets }, 'open a session', () =>
        Promise.resolve(created.session(credentialValues)),
      );
      return guardSession(session, { ...guardContext, secrets });
    },
    async close() {
      try {
        await created.close?.();
      } finally {
        await http.close();
      }
    },
  };
}

interface GuardContext {
  readonly definition: ConnectorDefinition;
  readonly instance: string;
  readonly http: HttpTransport;
  readonly secrets: readonly string[];
}

/**
 * Wraps a connector's session so that every connector behaves the same at the edges: aborted
 * signals are refused up front, requests are validated once here, missing optional operations are
 * UNSUPPORTED, results are normalized, and every error is a ConnectorError naming the connector and
 * instance with the session's secrets scrubbed from it.
 */
function guardSession(session: Session, context: GuardContext): Session {
  const { capabilities } = context.definition;
  const call = <T>(what: string, options: CallOptions | undefined, run: () => Promise<T>): Promise<T> =>
    guarded(
      context,
      what,
      () => {
        throwIfAborted(options?.signal, what);
        return run();
      },
      options?.signal,
    );
  const optional = (operation: 'stop' | 'start') => (ids: readonly string[], options?: CallOptions) =>
    call(operation, options, async () => {
      const method = session[operation];
      if (!capabilities.stopStart || !method) {
        throw new ConnectorError(
          'UNSUPPORTED',
          `${context.definition.cloud} (${context.definition.name}) cannot ${operation} VMs; terminate and launch instead.`,
        );
      }
      await method.call(session, checkIds(ids, operation), options);
    });
  return {
    checkCredentials: (options) => call('checkCredentials', options, () => session.checkCredentials(options)),
    listImages: (options) =>
      call('listImages', options, async () => [...(await session.listImages(options))]),
    listSizes: (options) => call('listSizes', options, async () => [...(await session.listSizes(options))]),
    listZones: (options) => call('listZones', options, async () => [...(await session.listZones(options))]),
    launch: (request, options) =>
      call('launch', options, async () => {
        const vms = await session.launch(checkLaunchRequest(request, context.definition), options);
        return vms.map(normalizeVm);
      }),
    describe: (query?: DescribeQuery, options?: CallOptions) =>
      call('describe', options, async () => {
        const ids = query?.ids === undefined ? undefined : checkIds(query.ids, 'describe', true);
        if (ids?.length === 0) return [];
        const vms = await session.describe(ids === undefined ? {} : { ids }, options);
        return vms.map(normalizeVm);
      }),
    terminate: (ids, options) =>
      call('terminate', options, () => session.terminate(checkIds(ids, 'terminate'), options)),
    stop: optional('stop'),
    start: optional('start'),
    close: async () => {
      await session.close?.();
    },
  };
}

async function guarded<T>(
  context: GuardContext,
  what: string,
  run: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toConnectorError(error, context, what, signal);
  }
}

function toConnectorError(
  error: unknown,
  context: GuardContext,
  what: string,
  signal?: AbortSignal,
): ConnectorError {
  const connector = context.definition.name;
  const { instance, secrets } = context;
  if (ConnectorError.is(error)) {
    return new ConnectorError(error.code, redactValues(error.message, secrets), {
      connector: error.connector ?? connector,
      instance: error.instance ?? instance,
      retryable: error.retryable,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
      problems: error.problems.map((p) => ({ ...p, message: redactValues(p.message, secrets) })),
      cause: sanitizeError(error.cause, secrets),
    });
  }
  // Whatever a connector threw after its caller's signal fired (fetch rethrows the signal's own
  // reason, which may be any value) is an abort, not a cloud failure.
  if (isAbortError(error) || signal?.aborted) {
    return new ConnectorError('ABORTED', `${what} on instance "${instance}" was aborted.`, {
      connector,
      instance,
    });
  }
  return new ConnectorError(
    'CLOUD_ERROR',
    `${what} on instance "${instance}" failed unexpectedly: ${describe(error, secrets)}`,
    {
      connector,
      instance,
      cause: sanitizeError(error, secrets),
    },
  );
}

/**
 * A copy of an error chain that is safe to keep and log: messages scrubbed of secrets, no other
 * properties (a library error may carry request headers or bodies on arbitrary fields).
 */
export function sanitizeError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (error === undefined || error === null) return undefined;
  if (depth > 4) return undefined;
  if (!(error instanceof Error) && !ConnectorError.is(error)) {
    return redactValues(typeof error === 'string' ? error : String(error), secrets);
  }
  const cause = sanitizeError((error as Error).cause, secrets, depth + 1);
  if (ConnectorError.is(error)) {
    return new ConnectorError(error.code, redactValues(error.message, secrets), {
      connector: error.connector,
      instance: error.instance,
      retryable: error.retryable,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
      cause,
    });
  }
  const copy = new Error(redactValues(error.message, secrets), cause === undefined ? undefined : { cause });
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

function describe(error: unknown, secrets: readonly string[]): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactValues(text, secrets);
}

function secretValues(specs: readonly FieldSpec[], values: FieldValues): string[] {
  return specs.filter(isSecretField).flatMap((spec) => {
    const value = values[spec.key];
    return typeof value === 'string' && value !== '' ? [value] : [];
  });
}

function invalid(message: string): ConnectorError {
  return new ConnectorError('INVALID_REQUEST', message);
}

function checkIds(ids: unknown, what: string, allowEmpty = false): string[] {
  if (!Array.isArray(ids)) throw invalid(`${what} needs an array of VM ids, got ${typeof ids}.`);
  const bad = ids.filter((id) => typeof id !== 'string' || id.trim() === '');
  if (bad.length > 0)
    throw invalid(`${what} needs VM ids as non-empty strings; ${bad.length} of ${ids.length} are not.`);
  if (!allowEmpty && ids.length === 0) throw invalid(`${what} needs at least one VM id.`);
  return [...new Set(ids as string[])];
}

const MAX_COUNT = 100;
const MAX_USER_DATA_BYTES = 1024 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const SSH_PUBLIC_KEY =
  /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;

/**
 * Validates a launch request once, for every connector, reporting every problem together. Options
 * the connector cannot honour are refused rather than dropped: a VM launched without the SSH key
 * the user asked for is a VM nobody can log in to.
 */
export function checkLaunchRequest(
  request: LaunchRequest,
  definition: Pick<ConnectorDefinition, 'capabilities' | 'name'>,
): LaunchRequest {
  const problems: string[] = [];
  const input = (request ?? {}) as Partial<Record<keyof LaunchRequest, unknown>>;
  const text = (key: keyof LaunchRequest, required: boolean, max = 255): void => {
    const value = input[key];
    if (value === undefined || value === null) {
      if (required) problems.push(`"${key}" is required.`);
    } else if (typeof value !== 'string' || value.trim() === '')
      problems.push(`"${key}" must be a non-empty string.`);
    else if (value.length > max) problems.push(`"${key}" must be at most ${max} characters.`);
  };
  text('name', true, 255);
  text('image', true);
  text('size', true);
  text('zone', false);
  if (typeof input.idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    problems.push(
      '"idempotencyKey" is required: 1 to 128 letters, digits, ".", "_", ":" or "-" (a UUID works).',
    );
  }
  const count = input.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    problems.push(`"count" must be a whole number from 1 to ${MAX_COUNT}.`);
  }
  if (input.sshPublicKey !== undefined) {
    if (typeof input.sshPublicKey !== 'string' || !SSH_PUBLIC_KEY.test(input.sshPublicKey.trim())) {
      problems.push(
        '"sshPublicKey" must be an OpenSSH public key line such as "ssh-ed25519 AAAA... user@host".',
      );
    } else if (!definition.capabilities.sshKeys)
      problems.push(`"sshPublicKey" is not supported by the ${definition.name} connector.`);
  }
  if (input.userData !== undefined) {
    if (typeof input.userData !== 'string') problems.push('"userData" must be a string.');
    else if (Buffer.byteLength(input.userData) > MAX_USER_DATA_BYTES)
      problems.push('"userData" must be at most 1 MiB.');
    else if (!definition.capabilities.userData)
      problems.push(`"userData" is not supported by the ${definition.name} connector.`);
  }
  if (input.zone !== undefined && !definition.capabilities.zones) {
    problems.push(`"zone" is not supported by the ${definition.name} connector: it has no zones.`);
  }
  if (input.tags !== undefined) {
    const tags = input.tags;
    if (
      typeof tags !== 'object' ||
      tags === null ||
      Array.isArray(tags) ||
      Object.values(tags).some((v) => typeof v !== 'string')
    ) {
      problems.push('"tags" must be an object of string values.');
    } else if (!definition.capabilities.tags && Object.keys(tags).length > 0) {
      problems.push(`"tags" are not supported by the ${definition.name} connector.`);
    }
  }
  if (problems.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `The launch request is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      {
        problems: problems.map((message) => ({ message })),
      },
    );
  }
  return {
    ...request,
    count: count as number,
    ...(request.sshPublicKey === undefined ? {} : { sshPublicKey: request.sshPublicKey.trim() }),
  };
}

/** Enforces the VM model on whatever a connector returns: string ids, known states, arrays. */
function normalizeVm(vm: Vm): Vm {
  return {
    ...vm,
    id: String(vm.id),
    name: String(vm.name ?? ''),
    state: isVmState(vm.state) ? vm.state : 'unknown',
    rawState: String(vm.rawState ?? ''),
    publicIps: [...(vm.publicIps ?? [])],
    privateIps: [...(vm.privateIps ?? [])],
    tags: { ...(vm.tags ?? {}) },
  };
}
