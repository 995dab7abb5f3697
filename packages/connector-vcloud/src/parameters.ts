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

export const VCLOUD_DEFAULTS = Object.freeze({
  instanceTypes: 'small=1:1024,medium=2:4096,large=4:8192',
  apiVersion: '38.0',
  pollIntervalMs: 2_000,
  taskTimeoutMs: 600_000,
});

/**
 * Instance parameters, set by the administrator, as SlipStream's vCloud connector had them (the
 * endpoint, the organization and its virtual datacenter, sizes as CPUs and RAM), with the API
 * version today's vCloud Director wants named.
 */
export const VCLOUD_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'endpoint',
    label: 'vCloud Director URL',
    description:
      'The URL of the vCloud Director cell, e.g. https://vcd.example.org (without /api or /cloudapi).',
    type: 'url',
    required: true,
  },
  {
    key: 'org',
    label: 'Organization',
    description: 'The vCloud Director organization users log in to, e.g. acme.',
    type: 'string',
    required: true,
  },
  {
    key: 'vdc',
    label: 'Virtual datacenter',
    description: "The organization VDC's name: VMs are launched, listed and removed there only.",
    type: 'string',
    required: true,
  },
  {
    key: 'catalog',
    label: 'Catalog',
    description:
      'Only the vApp templates of this catalog are images. Empty: every template the user may see.',
    type: 'string',
  },
  {
    key: 'network',
    label: 'Network',
    description:
      "The org VDC network every VM's NIC connects to (IP from its pool). Empty: the template's own.",
    type: 'string',
  },
  {
    key: 'instance.types',
    label: 'Instance types',
    description:
      'The sizes offered, as name=CPUs:memoryMiB pairs separated by commas, e.g. "small=1:1024,large=4:8192".',
    type: 'string',
    default: VCLOUD_DEFAULTS.instanceTypes,
  },
  {
    key: 'api.version',
    label: 'API version',
    description: 'The vCloud API version requested, e.g. 38.0 (vCloud Director 10.5) or 37.2 (10.4.2).',
    type: 'string',
    default: VCLOUD_DEFAULTS.apiVersion,
  },
  {
    key: 'poll.interval.ms',
    label: 'Task poll interval (ms)',
    description: 'How often a vCloud task (instantiate, power on, undeploy, delete) is polled.',
    type: 'integer',
    default: VCLOUD_DEFAULTS.pollIntervalMs,
    min: 10,
    max: 60_000,
  },
  {
    key: 'task.timeout.ms',
    label: 'Task timeout (ms)',
    description: 'How long a call waits for a vCloud task before it fails with TIMEOUT.',
    type: 'integer',
    default: VCLOUD_DEFAULTS.taskTimeoutMs,
    min: 1_000,
    max: 3_600_000,
  },
]);

export const VCLOUD_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'username',
    label: 'User name',
    description: 'Your vCloud Director user name, without "@organization".',
    type: 'string',
    required: true,
  },
  {
    key: 'password',
    label: 'Password',
    description: 'Your vCloud Director password.',
    type: 'string',
    required: true,
    secret: true,
  },
]);

export interface VcloudSettings {
  /** The cell's URL without a trailing slash. */
  readonly endpoint: string;
  readonly org: string;
  readonly vdc: string;
  readonly catalog: string | undefined;
  readonly network: string | undefined;
  readonly instanceTypes: readonly InstanceTypeSpec[];
  readonly apiVersion: string;
  readonly pollIntervalMs: number;
  readonly taskTimeoutMs: number;
}

const API_VERSION = /^\d{2}\.\d$/;

export function settingsFrom(parameters: FieldValues): VcloudSettings {
  const apiVersion = readParameter(parameters, 'api.version', 'string').trim();
  if (!API_VERSION.test(apiVersion)) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "api.version" is "${apiVersion}", which is not a vCloud API version; use one like 38.0 or 37.2.`,
    );
  }
  return {
    endpoint: readParameter(parameters, 'endpoint', 'string').trim().replace(/\/+$/, ''),
    org: readParameter(parameters, 'org', 'string').trim(),
    vdc: readParameter(parameters, 'vdc', 'string').trim(),
    catalog: optionalParameter(parameters, 'catalog'),
    network: optionalParameter(parameters, 'network'),
    instanceTypes: parseInstanceTypes(readParameter(parameters, 'instance.types', 'string')),
    apiVersion,
    pollIntervalMs: readParameter(parameters, 'poll.interval.ms', 'number'),
    taskTimeoutMs: readParameter(parameters, 'task.timeout.ms', 'number'),
  };
}
