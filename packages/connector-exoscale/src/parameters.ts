import {
  ConnectorError,
  type CredentialSpec,
  type FieldValues,
  optionalParameter,
  type ParameterSpec,
  readParameter,
} from '@slipstream/connector-core';
import { defaultEndpoint, EXOSCALE_ZONE_NAMES } from './zones.js';

/** Exoscale's bounds of an instance's root disk, in GiB (create-instance `disk-size`). */
export const DISK_SIZE_GB = Object.freeze({ min: 10, max: 51_200 });

export const EXOSCALE_DEFAULTS = Object.freeze({
  zone: 'ch-gva-2',
  diskSizeGb: 10,
  pollIntervalMs: 2_000,
  operationTimeoutMs: 10 * 60_000,
  // egoscale signs requests for 10 minutes; enough to cover the transport's retries.
  signatureValiditySeconds: 600,
});

/**
 * Instance parameters, set by the administrator. Core validates values against these specs and
 * applies the defaults before `create` runs, and adds `quota.vm` and `max.iaas.workers` itself.
 */
export const EXOSCALE_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'zone',
    label: 'Zone',
    description:
      'The Exoscale zone this instance works in: it launches, lists and terminates instances there. ' +
      'Configure one connector instance per zone you offer.',
    type: 'enum',
    values: EXOSCALE_ZONE_NAMES,
    default: EXOSCALE_DEFAULTS.zone,
  },
  {
    key: 'endpoint',
    label: 'API endpoint',
    description:
      "The API v2 base URL; by default the zone's public endpoint, https://api-<zone>.exoscale.com/v2. " +
      'Set it for a proxy or a simulator (e.g. http://127.0.0.1:8080/v2).',
    type: 'url',
  },
  {
    key: 'disk.size',
    label: 'Root disk size (GiB)',
    description:
      "Root disk of every launched instance, in GiB; raised to the template's own size when that is larger.",
    type: 'integer',
    default: EXOSCALE_DEFAULTS.diskSizeGb,
    min: DISK_SIZE_GB.min,
    max: DISK_SIZE_GB.max,
  },
  {
    key: 'template',
    label: 'Preferred template',
    description:
      'A template name or id listed first among the images, so that forms preselect it, e.g. ' +
      '"Linux Ubuntu 24.04 LTS 64-bit".',
    type: 'string',
  },
  {
    key: 'instance.type',
    label: 'Preferred instance type',
    description:
      'An instance type, as family.size or id, listed first among the sizes, e.g. "standard.small".',
    type: 'string',
  },
  {
    key: 'security.groups',
    label: 'Security groups',
    description:
      'Security groups (names or ids, separated by commas) every launched instance joins. ' +
      "Empty: Exoscale's default group.",
    type: 'string',
  },
  {
    key: 'poll.interval.ms',
    label: 'Operation poll interval (ms)',
    description: 'How often an asynchronous Exoscale operation (create, stop, start, delete) is polled.',
    type: 'integer',
    default: EXOSCALE_DEFAULTS.pollIntervalMs,
    min: 10,
    max: 60_000,
  },
  {
    key: 'operation.timeout.ms',
    label: 'Operation timeout (ms)',
    description: 'How long a call waits for an Exoscale operation to complete before it fails with TIMEOUT.',
    type: 'integer',
    default: EXOSCALE_DEFAULTS.operationTimeoutMs,
    min: 1_000,
    max: 3_600_000,
  },
  {
    key: 'signature.validity.s',
    label: 'Signature validity (s)',
    description:
      'How long a signed request stays valid (its "expires"). It must outlast retries and clock skew; ' +
      'a shorter one limits how long a captured request could be replayed.',
    type: 'integer',
    default: EXOSCALE_DEFAULTS.signatureValiditySeconds,
    min: 60,
    max: 3_600,
  },
]);

/** Per-user credentials: an Exoscale API key and its secret. */
export const EXOSCALE_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'key',
    label: 'API key',
    description: 'Your Exoscale API key (IAM → API keys), e.g. EXO2f8c...; it needs the compute service.',
    type: 'string',
    required: true,
  },
  {
    key: 'secret',
    label: 'API secret',
    description: 'The secret shown once when the API key was created.',
    type: 'secret',
    required: true,
  },
]);

/** Validated parameters in the shape the connector uses them. */
export interface ExoscaleSettings {
  readonly zone: string;
  /** API v2 base URL without a trailing slash. */
  readonly endpoint: string;
  readonly diskSizeGb: number;
  readonly template: string | undefined;
  readonly instanceType: string | undefined;
  /** Names or ids, as configured. */
  readonly securityGroups: readonly string[];
  readonly pollIntervalMs: number;
  readonly operationTimeoutMs: number;
  readonly signatureValiditySeconds: number;
}

export function settingsFrom(parameters: FieldValues): ExoscaleSettings {
  const zone = readParameter(parameters, 'zone', 'string');
  const endpoint = optionalParameter(parameters, 'endpoint') ?? defaultEndpoint(zone);
  const url = new URL(endpoint);
  if (url.search !== '' || url.hash !== '') {
    throw new ConnectorError(
      'CONFIG_INVALID',
      'Parameter "endpoint" must be a base URL without query or fragment, e.g. https://api-ch-gva-2.exoscale.com/v2.',
    );
  }
  return {
    zone,
    endpoint: endpoint.replace(/\/+$/, ''),
    diskSizeGb: readParameter(parameters, 'disk.size', 'number'),
    template: optionalParameter(parameters, 'template'),
    instanceType: optionalParameter(parameters, 'instance.type'),
    securityGroups: (optionalParameter(parameters, 'security.groups') ?? '')
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== ''),
    pollIntervalMs: readParameter(parameters, 'poll.interval.ms', 'number'),
    operationTimeoutMs: readParameter(parameters, 'operation.timeout.ms', 'number'),
    signatureValiditySeconds: readParameter(parameters, 'signature.validity.s', 'number'),
  };
}
