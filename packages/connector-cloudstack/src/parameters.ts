import {
  ConnectorError,
  type CredentialSpec,
  type FieldValues,
  optionalParameter,
  type ParameterSpec,
  readParameter,
} from '@slipstream/connector-core';

/**
 * Instance parameters (set by the administrator) and credentials (set by each user). Core
 * validates values against these specs, applies the defaults and adds `quota.vm` and
 * `max.iaas.workers` before `create` runs.
 */
export const CLOUDSTACK_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'endpoint',
    label: 'API endpoint',
    description:
      'URL of the CloudStack API, usually the management server followed by /client/api, e.g. https://cloud.example.com/client/api.',
    type: 'url',
    required: true,
  },
  {
    key: 'zone',
    label: 'Default zone',
    description:
      'Zone (name or id) of a launch that names none. When empty, a cloud with a single zone uses it and a cloud with several asks the user to choose.',
    type: 'string',
  },
  {
    key: 'template',
    label: 'Default template',
    description: 'Template (name or id) used when a launch asks for the image "default".',
    type: 'string',
  },
  {
    key: 'service.offering',
    label: 'Default service offering',
    description: 'Compute offering (name or id) used when a launch asks for the size "default".',
    type: 'string',
  },
  {
    key: 'terminate.expunge',
    label: 'Expunge on terminate',
    description:
      'Destroy VMs with expunge=true so that they are removed at once instead of staying Destroyed (recoverable) until the cloud expunges them. When the cloud does not let users expunge, terminate falls back to a plain destroy.',
    type: 'boolean',
    default: true,
  },
  {
    key: 'page.size',
    label: 'Page size',
    description:
      "Items requested per page of list calls; at most the cloud's default.page.size (500 unless its operator changed it).",
    type: 'integer',
    default: 500,
    min: 1,
    max: 10_000,
  },
  {
    key: 'async.poll.interval.ms',
    label: 'Job poll interval (ms)',
    description: 'Pause between two checks of the asynchronous jobs a call waits for.',
    type: 'integer',
    default: 2000,
    min: 10,
    max: 60_000,
  },
  {
    key: 'async.job.timeout.s',
    label: 'Job timeout (s)',
    description:
      'How long a call waits for its asynchronous jobs (deploying, stopping, destroying VMs) before failing with TIMEOUT; the jobs themselves go on.',
    type: 'integer',
    default: 1800,
    min: 1,
    max: 86_400,
  },
  {
    key: 'signature.expiry.s',
    label: 'Signature lifetime (s)',
    description:
      'Requests are signed with signatureVersion=3 and expire this many seconds after they are made, so that a captured request cannot be replayed later. 0 sends requests without an expiry.',
    type: 'integer',
    default: 600,
    min: 0,
    max: 86_400,
  },
]);

export const CLOUDSTACK_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'key',
    label: 'API key',
    description: "Your CloudStack API key (the UI's profile page shows it, or generate it there).",
    type: 'string',
    required: true,
  },
  {
    key: 'secret',
    label: 'Secret key',
    description: 'The secret key paired with your API key.',
    type: 'secret',
    required: true,
  },
]);

/** The instance's settings, typed, from validated parameters. */
export interface CloudStackSettings {
  readonly endpoint: string;
  readonly zone: string | undefined;
  readonly template: string | undefined;
  readonly serviceOffering: string | undefined;
  readonly expungeOnTerminate: boolean;
  readonly pageSize: number;
  /** List pages asked at once after the first: `max.iaas.workers`. */
  readonly pageWorkers: number;
  readonly pollIntervalMs: number;
  readonly jobTimeoutMs: number;
  /** 0: no expiry. */
  readonly signatureExpiryMs: number;
}

export function settingsFrom(parameters: FieldValues): CloudStackSettings {
  const endpoint = readParameter(parameters, 'endpoint', 'string');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConnectorError(
      'CONFIG_INVALID',
      'Parameter "endpoint" is not a URL; core validates it before create.',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConnectorError(
      'CONFIG_INVALID',
      'Parameter "endpoint" must be the API URL without a query or fragment, e.g. https://cloud.example.com/client/api.',
    );
  }
  return {
    endpoint: url.toString(),
    zone: optionalParameter(parameters, 'zone'),
    template: optionalParameter(parameters, 'template'),
    serviceOffering: optionalParameter(parameters, 'service.offering'),
    expungeOnTerminate: readParameter(parameters, 'terminate.expunge', 'boolean'),
    pageSize: readParameter(parameters, 'page.size', 'number'),
    pageWorkers: readParameter(parameters, 'max.iaas.workers', 'number'),
    pollIntervalMs: readParameter(parameters, 'async.poll.interval.ms', 'number'),
    jobTimeoutMs: readParameter(parameters, 'async.job.timeout.s', 'number') * 1000,
    signatureExpiryMs: readParameter(parameters, 'signature.expiry.s', 'number') * 1000,
  };
}
