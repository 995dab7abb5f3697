import { ConnectorError } from './errors.js';
import type { FieldValues } from './parameters.js';

/**
 * Reading validated parameters inside a connector's `create`. Core has already checked them
 * against the specs and applied defaults, so these only fail for a caller that bypassed
 * `createInstance`; the error says so instead of letting `undefined` travel into a request.
 */

export interface ParameterTypes {
  string: string;
  number: number;
  boolean: boolean;
}

/** A parameter of the type core coerced it to; CONFIG_INVALID when it is missing or another type. */
export function readParameter<K extends keyof ParameterTypes>(
  parameters: FieldValues,
  key: string,
  type: K,
): ParameterTypes[K] {
  const value = parameters[key];
  if (typeof value !== type) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "${key}" is missing or not a ${type}; create instances with core's createInstance, which validates parameters and applies defaults.`,
    );
  }
  return value as ParameterTypes[K];
}

/** An optional string parameter, trimmed; undefined when absent or blank. */
export function optionalParameter(parameters: FieldValues, key: string): string | undefined {
  const value = parameters[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
