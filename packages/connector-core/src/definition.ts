import { isValidName } from './connector-list.js';
import { CONTRACT_VERSION, type ConnectorDefinition } from './contract.js';
import { COMMON_PARAMETERS, FIELD_TYPES, type FieldSpec } from './parameters.js';
import { isVmState } from './states.js';

const CAPABILITY_KEYS = ['stopStart', 'zones', 'sshKeys', 'userData', 'tags'] as const;
const FIELD_KEY = /^[a-z0-9]+([._-][a-z0-9]+)*$/;

/**
 * Checks at run time that a value is a connector definition this core can use, returning every
 * problem (empty when it is fine). The loader runs it on each package's default export; the
 * testkit runs it on the connector under test.
 */
export function checkDefinition(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) {
    return [
      `the default export must be a connector definition object, got ${value === null ? 'null' : typeof value}`,
    ];
  }
  const definition = value as Partial<Record<keyof ConnectorDefinition, unknown>>;
  const problems: string[] = [];
  if (typeof definition.name !== 'string' || !isValidName(definition.name)) {
    problems.push('"name" must be the lowercase kebab-case connector name, e.g. "cloudstack"');
  }
  if (typeof definition.cloud !== 'string' || definition.cloud.trim() === '') {
    problems.push('"cloud" must be the cloud\'s display name');
  }
  if (typeof definition.contract !== 'number' || !Number.isInteger(definition.contract)) {
    problems.push(`"contract" must be the contract major version (${CONTRACT_VERSION})`);
  }
  if (typeof definition.create !== 'function') problems.push('"create" must be a function');
  problems.push(...checkFieldSpecs(definition.parameters, 'parameters', true));
  problems.push(...checkFieldSpecs(definition.credentials, 'credentials', false));
  const capabilities = definition.capabilities;
  if (typeof capabilities !== 'object' || capabilities === null) {
    problems.push(`"capabilities" must be an object with boolean ${CAPABILITY_KEYS.join(', ')}`);
  } else {
    for (const key of CAPABILITY_KEYS) {
      if (typeof (capabilities as Record<string, unknown>)[key] !== 'boolean')
        problems.push(`"capabilities.${key}" must be true or false`);
    }
  }
  const states = definition.states;
  if (typeof states !== 'object' || states === null || Array.isArray(states)) {
    problems.push('"states" must be an object mapping native states to normalized ones');
  } else {
    for (const [native, state] of Object.entries(states)) {
      if (!isVmState(state))
        problems.push(`"states.${native}" maps to "${String(state)}", which is not a normalized state`);
    }
  }
  return problems;
}

function checkFieldSpecs(specs: unknown, where: string, isParameters: boolean): string[] {
  if (!Array.isArray(specs)) return [`"${where}" must be an array of field specs`];
  const problems: string[] = [];
  const seen = new Set<string>();
  const reserved = new Set(isParameters ? COMMON_PARAMETERS.map((spec) => spec.key) : []);
  specs.forEach((raw: unknown, index) => {
    const spec = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<
      Record<keyof FieldSpec, unknown>
    >;
    const at = `"${where}[${index}]"`;
    if (typeof spec.key !== 'string' || !FIELD_KEY.test(spec.key)) {
      problems.push(`${at}.key must be a lowercase dotted key such as "service.region"`);
      return;
    }
    if (seen.has(spec.key)) problems.push(`${at}: key "${spec.key}" is declared twice`);
    if (reserved.has(spec.key))
      problems.push(`${at}: key "${spec.key}" is a common parameter core adds; remove it`);
    seen.add(spec.key);
    if (typeof spec.label !== 'string' || spec.label === '')
      problems.push(`${at} ("${spec.key}") needs a label`);
    if (typeof spec.description !== 'string') problems.push(`${at} ("${spec.key}") needs a description`);
    if (!FIELD_TYPES.includes(spec.type as never))
      problems.push(
        `${at} ("${spec.key}") has type ${String(spec.type)}; use one of ${FIELD_TYPES.join(', ')}`,
      );
    if (spec.type === 'enum' && (!Array.isArray(spec.values) || spec.values.length === 0)) {
      problems.push(`${at} ("${spec.key}") is an enum without "values"`);
    }
    if (spec.default !== undefined && !['string', 'number', 'boolean'].includes(typeof spec.default)) {
      problems.push(`${at} ("${spec.key}") has a default that is not a string, number or boolean`);
    }
  });
  return problems;
}
