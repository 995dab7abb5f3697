import {
  formatProblems,
  isSecretField,
  type LoadProblem,
  type ParameterSpec,
  type Problem,
} from '@slipstream/connector-core';
import { isKnownError, ServerError } from '../errors.js';
import type { SecretBox } from '../security/secret-box.js';
import type { JsonValue, StoredValue, StoredValues } from '../store/types.js';

/**
 * Instance parameters between their raw form (configuration file, loader input) and their stored
 * form, where every value of a secret parameter is sealed with the server's key.
 */

/** Where a stored instance parameter lives; the SecretBox binds each sealed value to it. */
export function parameterAad(instance: string, key: string): string {
  return `configuration/${instance}/${key}`;
}

/**
 * The stored form of one instance's raw parameters. `specs` are the connector's, when known: values
 * of secret specs are sealed; everything else (including all values when the connector is not
 * installed) stays plain for core to validate at load. Throws CONFIG_INVALID naming every value
 * that cannot be stored, before anything is written.
 */
export function storeParameters(
  instance: string,
  raw: Readonly<Record<string, unknown>>,
  specs: readonly ParameterSpec[] | undefined,
  box: SecretBox,
): StoredValues {
  const secretKeys = new Set((specs ?? []).filter(isSecretField).map((spec) => spec.key));
  const stored: Record<string, StoredValue> = {};
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (secretKeys.has(key)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        stored[key] = { kind: 'secret', blob: box.seal(String(value), parameterAad(instance, key)) };
      } else {
        // Never echo the value: it is a secret.
        problems.push({
          instance,
          key,
          message: `instances.${instance}.${key} is a secret and must be text.`,
        });
      }
    } else if (isJsonValue(value)) {
      stored[key] = { kind: 'plain', value };
    } else {
      problems.push({
        instance,
        key,
        message: `instances.${instance}.${key} must be JSON data (text, number, true/false, list, object).`,
      });
    }
  }
  if (problems.length > 0) {
    throw new ServerError(
      'CONFIG_INVALID',
      `The initial configuration cannot be stored:\n${formatProblems(problems)}`,
      { instance, problems },
    );
  }
  return stored;
}

export interface OpenedParameters {
  /** Raw parameter values per instance, secrets opened: the loader's input. Never log. */
  readonly parameters: Record<string, Record<string, unknown>>;
  /** Secrets that could not be opened (another key, damaged rows); those values are left out. */
  readonly problems: LoadProblem[];
}

/** Opens the stored instance sections for the loader. */
export function openParameters(
  instances: Readonly<Record<string, StoredValues>>,
  box: SecretBox,
): OpenedParameters {
  const parameters: Record<string, Record<string, unknown>> = {};
  const problems: LoadProblem[] = [];
  for (const [instance, values] of Object.entries(instances)) {
    const opened: Record<string, unknown> = {};
    for (const [key, stored] of Object.entries(values)) {
      if (stored.kind === 'plain') {
        opened[key] = stored.value;
        continue;
      }
      try {
        opened[key] = box.open(stored.blob, parameterAad(instance, key));
      } catch (error) {
        problems.push({
          code: 'CONFIG_INVALID',
          instance,
          key,
          message: isKnownError(error)
            ? error.message
            : `The stored secret parameter ${key} of instance "${instance}" cannot be opened; enter it again.`,
        });
      }
    }
    parameters[instance] = opened;
  }
  return { parameters, problems };
}

function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    return (
      (proto === Object.prototype || proto === null) &&
      Object.values(value).every((item) => isJsonValue(item, depth + 1))
    );
  }
  return false;
}
