import {
  ConnectorError,
  type CredentialSpec,
  type FieldValues,
  optionalParameter,
  type ParameterSpec,
  readParameter,
} from '@slipstream/connector-core';

export const AWS_DEFAULTS = Object.freeze({
  region: 'us-east-1',
  imageOwners: 'self',
});

/** AWS region names: `us-east-1`, `eu-central-2`, `ap-southeast-4`, `us-gov-west-1`, `cn-north-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Instance parameters, set by the administrator. Core validates values against these specs and
 * applies the defaults before `create` runs, and adds `quota.vm` and `max.iaas.workers` itself.
 */
export const AWS_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'region',
    label: 'Region',
    description:
      'The AWS region this instance works in, e.g. eu-central-1: it launches, lists and terminates ' +
      'instances there. Configure one connector instance per region you offer.',
    type: 'string',
    default: AWS_DEFAULTS.region,
  },
  {
    key: 'endpoint',
    label: 'API endpoint',
    description:
      "The EC2 API URL; by default the region's, https://ec2.<region>.amazonaws.com. Set it for an " +
      'EC2-compatible API, a VPC endpoint or a simulator (e.g. http://127.0.0.1:8080).',
    type: 'url',
  },
  {
    key: 'security.groups',
    label: 'Security groups',
    description:
      'Security groups every launched instance joins, by id (sg-…) or name, separated by commas. ' +
      "Empty: the VPC's default group.",
    type: 'string',
  },
  {
    key: 'subnet',
    label: 'Subnet',
    description: "The VPC subnet id (subnet-…) instances are launched in. Empty: the default VPC's subnet.",
    type: 'string',
  },
  {
    key: 'image.owners',
    label: 'Image owners',
    description:
      'Whose images the image list shows, separated by commas: self, amazon, aws-marketplace or ' +
      'account ids, e.g. "self,amazon". Launching by image id works for any image the account may use.',
    type: 'string',
    default: AWS_DEFAULTS.imageOwners,
  },
]);

/** Per-user credentials: an IAM access key, and a session token with temporary credentials. */
export const AWS_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'key',
    label: 'Access key ID',
    description: 'The IAM access key id, e.g. AKIAIOSFODNN7EXAMPLE (ASIA… for temporary credentials).',
    type: 'string',
    required: true,
  },
  {
    key: 'secret',
    label: 'Secret access key',
    description: "The access key's secret.",
    type: 'string',
    required: true,
    secret: true,
  },
  {
    key: 'session.token',
    label: 'Session token',
    description: 'Only for temporary credentials (STS): the session token that goes with the key.',
    type: 'string',
    secret: true,
  },
]);

/** What the connector reads of the instance parameters. */
export interface AwsSettings {
  readonly region: string;
  /** Undefined: the SDK's endpoint for the region. */
  readonly endpoint: string | undefined;
  /** Security groups given by id (`sg-…`) and by name. */
  readonly securityGroupIds: readonly string[];
  readonly securityGroupNames: readonly string[];
  readonly subnetId: string | undefined;
  readonly imageOwners: readonly string[];
}

const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** The settings from validated parameters; CONFIG_INVALID names a malformed one and says how to fix it. */
export function settingsFrom(parameters: FieldValues): AwsSettings {
  const region = readParameter(parameters, 'region', 'string').trim();
  if (!REGION.test(region)) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "region" is "${region}", which is not an AWS region name; use one like us-east-1 or eu-central-1.`,
    );
  }
  const owners = list(optionalParameter(parameters, 'image.owners'));
  const groups = list(optionalParameter(parameters, 'security.groups'));
  return {
    region,
    endpoint: optionalParameter(parameters, 'endpoint')?.replace(/\/+$/, ''),
    securityGroupIds: groups.filter((group) => SECURITY_GROUP_ID.test(group)),
    securityGroupNames: groups.filter((group) => !SECURITY_GROUP_ID.test(group)),
    subnetId: optionalParameter(parameters, 'subnet'),
    imageOwners: owners.length > 0 ? owners : [AWS_DEFAULTS.imageOwners],
  };
}
