import { isValidName } from './connector-list.js';
import type { ConnectorDefinition, ConnectorInstance, Session } from './contract.js';
import { ConnectorError, formatProblems } from './errors.js';
import { createHttpTransport, type HttpTransportOptions } from './http.js';
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
import { errorText, sanitizeError } from './sanitize.js';
import { type GuardContext, guarded, guardSession, toConnectorError } from './session-guard.js';

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
  if (typeof name !== 'string' || !isValidName(name)) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Instance name ${JSON.stringify(name)} is not valid: use lowercase letters, digits and single hyphens (kebab-case).`,
      { connector: definition.name },
    );
  }
  const specs = instanceParameterSpecs(definition);
  const { values, problems } = validateFields(specs, options.parameters, {
    subject: 'parameter',
    instance: name,
  });
  if (problems.length > 0) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Instance "${name}" (${definition.name}) has invalid parameters:\n${formatProblems(problems)}`,
      { connector: definition.name, instance: name, problems },
    );
  }
  const logger = options.logger ?? silentLogger;
  const parameterSecrets = secretValues(specs, values);
  const http = createHttpTransport({
    ...options.http,
    secrets: parameterSecrets,
    connector: definition.name,
    instance: name,
    maxConcurrency: Number(values['max.iaas.workers']),
    // Nobody reads the silent logger: without a listener the transport builds no debug events.
    onDebug:
      options.http?.onDebug ??
      (logger === silentLogger ? undefined : (event) => logger.debug({ http: event }, 'http')),
  });
  const context: GuardContext = { definition, instance: name, secrets: parameterSecrets };
  let created: ConnectorInstance;
  try {
    created = await definition.create({ instance: name, parameters: values, http, logger });
    if (typeof (created as Partial<ConnectorInstance> | null)?.session !== 'function') {
      throw new Error('create() must return an object with a session(credentials) method');
    }
  } catch (error) {
    await http.close();
    // A connector that rejects its parameters beyond what the specs can express (a malformed
    // accounts list, say) reports CONFIG_INVALID itself: that stays a configuration problem.
    if (ConnectorError.hasCode(error, 'CONFIG_INVALID')) {
      throw toConnectorError(error, context, 'create');
    }
    throw new ConnectorError(
      'CONNECTOR_LOAD_FAILED',
      `Connector "${definition.name}" could not create instance "${name}": ${errorText(error, parameterSecrets)}`,
      {
        connector: definition.name,
        instance: name,
        cause: sanitizeError(error, parameterSecrets),
      },
    );
  }
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
          `Credentials for instance "${name}" (${definition.name}) are incomplete or malformed:\n${formatProblems(validated.problems)}`,
          { connector: definition.name, instance: name, problems: validated.problems },
        );
      }
      const secrets = [...parameterSecrets, ...secretValues(definition.credentials, validated.values)];
      const credentialValues: Credentials = Object.fromEntries(
        Object.entries(validated.values).map(([key, value]) => [key, String(value)]),
      );
      const sessionContext: GuardContext = { ...context, secrets };
      const session: Session = await guarded(sessionContext, 'open a session', async () =>
        created.session(credentialValues),
      );
      return guardSession(session, sessionContext);
    },
    async close() {
      try {
        await guarded(context, 'close', async () => void (await created.close?.()));
      } finally {
        await http.close();
      }
    },
  };
}

function secretValues(specs: readonly FieldSpec[], values: FieldValues): string[] {
  return specs.filter(isSecretField).flatMap((spec) => {
    const value = values[spec.key];
    return typeof value === 'string' && value !== '' ? [value] : [];
  });
}
