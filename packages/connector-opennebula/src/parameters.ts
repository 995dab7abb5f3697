import {
  ConnectorError,
  type CredentialSpec,
  type FieldValues,
  type InstanceTypeSpec,
  optionalParameter,
  type ParameterSpec,
  parseInstanceTypes,
  readParameter,
} from '@slipstream/connector-core';

export const OPENNEBULA_DEFAULTS = Object.freeze({
  instanceTypes: 'micro=1:512,small=1:2048,medium=2:4096,large=4:8192',
  cpuRatio: '0.5',
  contextualization: 'one-context',
  pollIntervalMs: 2_000,
  waitTimeoutMs: 300_000,
});

export const CONTEXTUALIZATIONS = ['one-context', 'cloud-init'] as const;
export type Contextualization = (typeof CONTEXTUALIZATIONS)[number];

/**
 * Instance parameters, set by the administrator, as SlipStream's OpenNebula connector had them.
 * Core validates values against these specs and applies the defaults before `create` runs.
 */
export const OPENNEBULA_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'endpoint',
    label: 'XML-RPC endpoint',
    description: "The URL of oned's XML-RPC API, e.g. http://one.example.org:2633/RPC2.",
    type: 'url',
    required: true,
  },
  {
    key: 'network.public',
    label: 'Public network',
    description:
      'The virtual network (id or name) whose address makes a VM reachable from outside; every VM gets a NIC on it. Empty: the template’s own networks.',
    type: 'string',
  },
  {
    key: 'network.private',
    label: 'Private network',
    description:
      'The virtual network (id or name) for traffic between VMs; every VM gets a NIC on it too. Empty: no private NIC.',
    type: 'string',
  },
  {
    key: 'instance.types',
    label: 'Instance types',
    description:
      'The sizes offered, as name=vCPUs:memoryMiB pairs separated by commas, e.g. "small=1:2048,large=4:8192".',
    type: 'string',
    default: OPENNEBULA_DEFAULTS.instanceTypes,
  },
  {
    key: 'cpu.ratio',
    label: 'Physical CPU per vCPU',
    description:
      "The share of a physical CPU each vCPU reserves (OpenNebula's CPU = vCPUs × ratio), e.g. 0.5 or 1.",
    type: 'string',
    default: OPENNEBULA_DEFAULTS.cpuRatio,
  },
  {
    key: 'contextualization',
    label: 'Contextualization',
    description:
      'How the images read user data: one-context (the OpenNebula context packages run it as a start script) or cloud-init (its OpenNebula datasource reads USER_DATA).',
    type: 'enum',
    values: CONTEXTUALIZATIONS,
    default: OPENNEBULA_DEFAULTS.contextualization,
  },
  {
    key: 'poll.interval.ms',
    label: 'State poll interval (ms)',
    description:
      'How often a VM is looked at while stop or start waits for it to leave a passing state (booting, powering off).',
    type: 'integer',
    default: OPENNEBULA_DEFAULTS.pollIntervalMs,
    min: 10,
    max: 60_000,
  },
  {
    key: 'wait.timeout.ms',
    label: 'Wait timeout (ms)',
    description: 'How long stop or start waits for a VM in a passing state before it fails with TIMEOUT.',
    type: 'integer',
    default: OPENNEBULA_DEFAULTS.waitTimeoutMs,
    min: 1_000,
    max: 3_600_000,
  },
]);

/** Per-user credentials: OpenNebula's core authentication. */
export const OPENNEBULA_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'username',
    label: 'User name',
    description: 'Your OpenNebula user name.',
    type: 'string',
    required: true,
  },
  {
    key: 'password',
    label: 'Password',
    description: 'Your OpenNebula password (or a login token made with oneuser token-create).',
    type: 'string',
    required: true,
    secret: true,
  },
]);

/** What the connector reads of the instance parameters. */
export interface OpenNebulaSettings {
  /** The XML-RPC URL calls are POSTed to. */
  readonly endpoint: string;
  /** Virtual networks by id (all digits) or name; undefined when not configured. */
  readonly networks: { readonly public: string | undefined; readonly private: string | undefined };
  readonly instanceTypes: readonly InstanceTypeSpec[];
  readonly cpuRatio: number;
  readonly contextualization: Contextualization;
  readonly pollIntervalMs: number;
  readonly waitTimeoutMs: number;
}

function parseCpuRatio(value: string): number {
  const ratio = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(ratio) || ratio <= 0 || ratio > 64) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "cpu.ratio" is "${value}", which is not a number above 0 (and at most 64); use e.g. 0.5 for half a physical CPU per vCPU.`,
    );
  }
  return ratio;
}

/**
 * The settings from validated parameters, with the XML-RPC URL (a connector built on this one
 * derives it from its own parameters). CONFIG_INVALID names a malformed value.
 */
export function settingsFrom(
  parameters: FieldValues,
  endpoint: string = readParameter(parameters, 'endpoint', 'string'),
): OpenNebulaSettings {
  return {
    endpoint: endpoint.trim(),
    networks: {
      public: optionalParameter(parameters, 'network.public'),
      private: optionalParameter(parameters, 'network.private'),
    },
    instanceTypes: parseInstanceTypes(readParameter(parameters, 'instance.types', 'string')),
    cpuRatio: parseCpuRatio(readParameter(parameters, 'cpu.ratio', 'string')),
    contextualization: readParameter(parameters, 'contextualization', 'string') as Contextualization,
    pollIntervalMs: readParameter(parameters, 'poll.interval.ms', 'number'),
    waitTimeoutMs: readParameter(parameters, 'wait.timeout.ms', 'number'),
  };
}
