import {
  type ConnectorDefinition,
  type FieldSpec,
  instanceParameterSpecs,
  isSecretField,
} from '@slipstream/connector-core';

/**
 * Credentials the test cloud should reject: every secret credential value changed (every value,
 * when the connector declares no secret credential). The change keeps length and character classes
 * (letters stay letters, digits digits) so that a connector checking the format still calls the
 * cloud, and the result never contains the good value.
 */
export function defaultBadCredentials(
  definition: Pick<ConnectorDefinition, 'credentials'>,
  credentials: Readonly<Record<string, string>>,
): Record<string, string> {
  const specs = Array.isArray(definition.credentials) ? definition.credentials : [];
  const secret = new Set(specs.filter(isSecretField).map((spec) => spec.key));
  const change = (key: string): boolean => (secret.size > 0 ? secret.has(key) : true);
  return Object.fromEntries(
    Object.entries(credentials).map(([key, value]) => [key, change(key) ? alterSecret(value) : value]),
  );
}

/** Shifts each letter and digit by one (z→a, 9→0); a value without any gets a suffix. */
export function alterSecret(value: string): string {
  const shifted = value.replace(/[a-zA-Z0-9]/g, (c) => {
    if (c === 'z') return 'a';
    if (c === 'Z') return 'A';
    if (c === '9') return '0';
    return String.fromCharCode(c.charCodeAt(0) + 1);
  });
  return shifted === value ? `${value}x-conformance` : shifted;
}

/** A secret value the suite must never find in an error or log, and what it is, for messages. */
export interface LabelledSecret {
  readonly label: string;
  readonly value: string;
}

/**
 * The values of secret credentials (good and bad) and secret parameters (given or by default), without
 * duplicates.
 */
export function secretsOf(
  definition: Pick<ConnectorDefinition, 'credentials' | 'parameters'>,
  sources: {
    readonly parameters: Readonly<Record<string, unknown>>;
    readonly credentials: Readonly<Record<string, string>>;
    readonly badCredentials: Readonly<Record<string, string>>;
  },
): LabelledSecret[] {
  const found = new Map<string, string>();
  const collect = (
    specs: readonly FieldSpec[],
    values: Readonly<Record<string, unknown>>,
    what: string,
  ): void => {
    for (const spec of specs.filter(isSecretField)) {
      // A secret left out is in effect through its default, which is just as secret.
      const value = values[spec.key] ?? spec.default;
      if (
        (typeof value === 'string' || typeof value === 'number') &&
        String(value) !== '' &&
        !found.has(String(value))
      ) {
        found.set(String(value), `${what} "${spec.key}"`);
      }
    }
  };
  const credentialSpecs = Array.isArray(definition.credentials) ? definition.credentials : [];
  const parameterSpecs = instanceParameterSpecs({
    parameters: Array.isArray(definition.parameters) ? definition.parameters : [],
  });
  collect(credentialSpecs, sources.credentials, 'credential');
  collect(credentialSpecs, sources.badCredentials, 'bad credential');
  collect(parameterSpecs, sources.parameters, 'parameter');
  return [...found].map(([value, label]) => ({ label, value }));
}
