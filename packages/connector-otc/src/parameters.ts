import {
  ConnectorError,
  type CredentialSpec,
  type FieldValues,
  optionalParameter,
  type ParameterSpec,
  readParameter,
} from '@slipstream/connector-core';
import { NOVA_MICROVERSION, type OpenStackSettings } from '@slipstream/connector-openstack/extend';
import {
  isOtcRegion,
  OTC_REGIONS,
  type OtcRegion,
  type RegionEndpoints,
  regionEndpoints,
} from './regions.js';

/**
 * Instance parameters (set by the administrator) and credentials (set by each user). Core
 * validates values against these specs, applies the defaults and adds `quota.vm` and
 * `max.iaas.workers` before `create` runs.
 */
export const OTC_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'region',
    label: 'Region',
    description:
      'Open Telekom Cloud region: eu-de (Germany), eu-nl (Netherlands) or eu-ch2 (Switzerland). It chooses the IAM, ECS, IMS and VPC endpoints and is the default project.',
    type: 'enum',
    values: [...OTC_REGIONS],
    default: 'eu-de',
  },
  {
    key: 'endpoint.iam',
    label: 'IAM endpoint',
    description:
      "Overrides the region's IAM (Keystone v3) URL, https://iam.<region>.otc.t-systems.com/v3 (https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3 in eu-ch2).",
    type: 'url',
  },
  {
    key: 'endpoint.ecs',
    label: 'ECS endpoint',
    description:
      "Overrides the region's Elastic Cloud Server URL, https://ecs.<region>.otc.t-systems.com; the connector adds /v2.1/<project id>.",
    type: 'url',
  },
  {
    key: 'endpoint.ims',
    label: 'IMS endpoint',
    description:
      "Overrides the region's Image Management Service URL, https://ims.<region>.otc.t-systems.com; the connector adds /v2/images.",
    type: 'url',
  },
  {
    key: 'endpoint.vpc',
    label: 'VPC endpoint',
    description:
      "Overrides the region's Virtual Private Cloud URL, https://vpc.<region>.otc.t-systems.com, whose Neutron API finds a subnet given by name.",
    type: 'url',
  },
  {
    key: 'subnet',
    label: 'Default VPC subnet',
    description:
      'VPC subnet servers are attached to: its network ID (the console\'s "Network ID" of the subnet, a UUID), or the name of that network in the VPC service\'s Neutron API. The subnet decides the VPC. Empty: ECS chooses.',
    type: 'string',
  },
  {
    key: 'availability.zone',
    label: 'Availability zone',
    description: 'Availability zone of a launch that names none, e.g. eu-de-01. Empty: ECS chooses.',
    type: 'string',
  },
]);

export const OTC_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'username',
    label: 'IAM user name',
    description: 'Your IAM user name. Give it with password and domain, or use an access key instead.',
    type: 'string',
  },
  {
    key: 'password',
    label: 'Password',
    description: "Your IAM user's password.",
    type: 'secret',
  },
  {
    key: 'domain',
    label: 'Tenant (domain) name',
    description:
      'The tenant your IAM user belongs to, e.g. OTC00000000001000000123 ("My Credentials" in the console shows it).',
    type: 'string',
  },
  {
    key: 'access.key',
    label: 'Access key ID (AK)',
    description:
      'An access key ID of your IAM user. Give it with the secret key, instead of user name and password.',
    type: 'string',
  },
  {
    key: 'secret.key',
    label: 'Secret access key (SK)',
    description: 'The secret access key paired with the access key ID.',
    type: 'secret',
  },
  {
    key: 'project',
    label: 'Project',
    description:
      'Project to work in: its name (the region, e.g. eu-de, or a sub-project such as eu-de_myproject) or its ID (32 hexadecimal digits). Default: the region.',
    type: 'string',
  },
]);

/** The instance's settings, typed, from validated parameters. */
export interface OtcSettings {
  readonly region: OtcRegion;
  /** The endpoints in effect: the region's, with any override applied. */
  readonly endpoints: RegionEndpoints;
  /** The URLs the administrator set, if any: they replace the IAM token's catalog. */
  readonly overrides: Partial<Omit<RegionEndpoints, 'iam'>>;
  readonly subnet: string | undefined;
  readonly zone: string | undefined;
}

export function otcSettings(parameters: FieldValues): OtcSettings {
  const region = readParameter(parameters, 'region', 'string');
  if (!isOtcRegion(region)) {
    // Core checks enum values before create; this only guards a definition used by hand.
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "region" must be one of ${OTC_REGIONS.join(', ')}, got ${JSON.stringify(region)}.`,
    );
  }
  const defaults = regionEndpoints(region);
  const iam = optionalParameter(parameters, 'endpoint.iam');
  const ecs = optionalParameter(parameters, 'endpoint.ecs');
  const ims = optionalParameter(parameters, 'endpoint.ims');
  const vpc = optionalParameter(parameters, 'endpoint.vpc');
  const overrides = {
    ...(ecs === undefined ? {} : { ecs: withoutTrailingSlash(ecs) }),
    ...(ims === undefined ? {} : { ims: withoutTrailingSlash(ims) }),
    ...(vpc === undefined ? {} : { vpc: withoutTrailingSlash(vpc) }),
  };
  return {
    region,
    endpoints: { ...defaults, iam: withoutTrailingSlash(iam ?? defaults.iam), ...overrides },
    overrides,
    subnet: optionalParameter(parameters, 'subnet'),
    zone: optionalParameter(parameters, 'availability.zone'),
  };
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** What the OpenStack connector's shared code needs: the subnet, the zone, no floating IPs. */
export function openStackSettingsOf(settings: OtcSettings): OpenStackSettings {
  return {
    networks: { private: settings.subnet },
    // OTC's public addresses are EIPs from its own VPC API, not Neutron floating IPs.
    floatingIps: false,
    zone: settings.zone,
    microversion: NOVA_MICROVERSION,
  };
}
