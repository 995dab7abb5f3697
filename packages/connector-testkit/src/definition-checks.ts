import {
  type ConnectorDefinition,
  type FieldSpec,
  isSecretField,
  isVmState,
  VM_STATES,
} from '@slipstream/connector-core';

/** Credential keys that name something secret; such a credential must be marked secret. */
export const SECRET_LOOKING_KEY = /secret|password|passwd|passphrase|token|private[._-]?key/i;

/**
 * Credentials whose values core would not treat as secret although they are: a `secret`-typed
 * spec core does not consider secret, or a key that names a secret on a spec not marked so.
 */
export function secretMarkingProblems(definition: Pick<ConnectorDefinition, 'credentials'>): string[] {
  const problems: string[] = [];
  for (const spec of specsOf(definition.credentials)) {
    if (spec.type === 'secret' && !isSecretField(spec)) {
      problems.push(`credential "${spec.key}" has type "secret" but isSecretField() says it is not secret`);
    } else if (SECRET_LOOKING_KEY.test(spec.key) && !isSecretField(spec)) {
      problems.push(
        `credential "${spec.key}" looks secret but is not marked: give it type "secret" (or \`secret: true\`) so that core keeps its value out of errors and logs`,
      );
    }
  }
  return problems;
}

/**
 * Where a definition's data is not plain JSON: the server sends specs, capabilities and states to
 * browsers and stores them, so a function, a class instance, `NaN` or a cycle would be lost or
 * changed on the way. Empty when `JSON.parse(JSON.stringify(x))` gives back the same data.
 */
export function plainDataProblems(definition: Partial<ConnectorDefinition>): string[] {
  const problems: string[] = [];
  for (const key of [
    'name',
    'cloud',
    'contract',
    'parameters',
    'credentials',
    'capabilities',
    'states',
  ] as const) {
    problems.push(...nonPlainData(definition[key], key, new Set()));
  }
  return problems;
}

function nonPlainData(value: unknown, path: string, ancestors: Set<object>): string[] {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return [];
    case 'number':
      return Number.isFinite(value) ? [] : [`${path} is ${value}, which JSON turns into null`];
    case 'undefined':
      return [];
    case 'function':
      return [`${path} is a function, which JSON drops; specs must be plain data`];
    case 'bigint':
      return [`${path} is a BigInt, which JSON cannot encode`];
    case 'symbol':
      return [`${path} is a symbol, which JSON drops`];
  }
  if (value === null) return [];
  const object = value as object;
  if (ancestors.has(object)) return [`${path} refers back to itself, which JSON cannot encode`];
  const inner = new Set(ancestors).add(object);
  if (Array.isArray(object)) {
    const problems: string[] = [];
    for (let i = 0; i < object.length; i++) {
      const item: unknown = object[i];
      if (!(i in object) || item === undefined)
        problems.push(`${path}[${i}] is missing, which JSON turns into null`);
      else problems.push(...nonPlainData(item, `${path}[${i}]`, inner));
    }
    return problems;
  }
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (prototype as { constructor?: { name?: string } }).constructor?.name ?? 'class instance';
    return [`${path} is a ${kind}, not a plain object; JSON would not give it back unchanged`];
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return [`${path} has a toJSON method, so its JSON form differs from it`];
  }
  return Object.entries(object).flatMap(([key, item]) => nonPlainData(item, `${path}.${key}`, inner));
}

/** States that the table maps to something other than a normalized state. */
export function stateTableProblems(states: unknown): string[] {
  if (typeof states !== 'object' || states === null || Array.isArray(states)) {
    return ['"states" must be an object mapping native states to normalized ones'];
  }
  const entries = Object.entries(states);
  if (entries.length === 0) return ['"states" is empty: map every native state the cloud reports'];
  return entries
    .filter(([, state]) => !isVmState(state))
    .map(
      ([native, state]) =>
        `native state "${native}" maps to ${JSON.stringify(state)}; use one of ${VM_STATES.join(', ')}`,
    );
}

function specsOf(specs: unknown): FieldSpec[] {
  return Array.isArray(specs)
    ? specs.filter(
        (spec): spec is FieldSpec =>
          typeof spec === 'object' && spec !== null && typeof spec.key === 'string',
      )
    : [];
}
