import {
  type CredentialSpec,
  type FieldValues,
  optionalParameter,
  type ParameterSpec,
  readParameter,
} from '@slipstream/connector-core';

/**
 * Instance parameters and credentials, named as the SlipStream OpenStack connector named them.
 * Core validates values against these specs, applies the defaults and adds `quota.vm` and
 * `max.iaas.workers` before `create` runs.
 */
export const OPENSTACK_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'endpoint',
    label: 'Keystone URL',
    description:
      'URL of the Identity service (Keystone), v3 root or unversioned, e.g. https://keystone.example.com:5000/v3. The compute, image and network endpoints come from its service catalog.',
    type: 'url',
    required: true,
  },
  {
    key: 'service.region',
    label: 'Region',
    description: 'Region of the service catalog whose endpoints the connector uses.',
    type: 'string',
    default: 'RegionOne',
  },
  {
    key: 'service.type',
    label: 'Compute service type',
    description: 'Type of the compute service in the service catalog.',
    type: 'string',
    default: 'compute',
  },
  {
    key: 'service.name',
    label: 'Compute service name',
    description:
      'Name of the compute service in the catalog (e.g. nova), to choose between several of the same type. Empty: the only one.',
    type: 'string',
  },
  {
    key: 'network.public',
    label: 'Public network',
    description:
      'Network (name or id) with public addresses. Without floating IPs, servers are attached to it; with floating IPs, they are allocated from it (default: the only external network).',
    type: 'string',
  },
  {
    key: 'network.private',
    label: 'Private network',
    description:
      'Network (name or id) servers are attached to for their private address. When neither network is set, Nova chooses ("auto").',
    type: 'string',
  },
  {
    key: 'floating.ips',
    label: 'Floating IPs',
    description:
      'Give every launched server a floating IP from the public network (Neutron), and release it when the server is terminated.',
    type: 'boolean',
    default: false,
  },
]);

export const OPENSTACK_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'username',
    label: 'User name',
    description: 'Your OpenStack user name.',
    type: 'string',
    required: true,
  },
  {
    key: 'password',
    label: 'Password',
    description: 'Your OpenStack password.',
    type: 'secret',
    required: true,
  },
  {
    key: 'project',
    label: 'Project',
    description:
      'The project (tenant) to work in: its name, or its id (32 hexadecimal digits, as Keystone makes them).',
    type: 'string',
    required: true,
  },
  {
    key: 'domain',
    label: 'Domain',
    description: 'Domain (name, or id of 32 hexadecimal digits) of your user and of the project.',
    type: 'string',
    default: 'Default',
  },
]);

/**
 * What the shared OpenStack code needs to know about an instance. A connector built on this one
 * (see README "Extending") fills it from its own parameters.
 */
export interface OpenStackSettings {
  /** Networks (names or ids) servers are attached to; none: Nova's "auto". */
  readonly networks: { readonly public?: string | undefined; readonly private?: string | undefined };
  /** Allocate and associate a floating IP per server (from `networks.public`), release it on terminate. */
  readonly floatingIps: boolean;
  /** Availability zone of a launch that names none; none: Nova's default. */
  readonly zone?: string | undefined;
  /** Nova microversion sent with every compute request. */
  readonly microversion: string;
  /** Pause between two looks while a launch waits for a server's port (floating IPs); default 2 s. */
  readonly pollIntervalMs?: number | undefined;
  /** How long a launch waits for a server's port before giving up (floating IPs); default 5 min. */
  readonly portTimeoutMs?: number | undefined;
}

export const SETTINGS_DEFAULTS = Object.freeze({ pollIntervalMs: 2000, portTimeoutMs: 300_000 });

/** What the Keystone lookup needs: where, and which compute service in which region. */
export interface KeystoneSettings {
  readonly authUrl: string;
  readonly region: string;
  readonly computeType: string;
  readonly computeName: string | undefined;
}

/**
 * The microversion the connector is written against. 2.47 makes servers embed their flavor, so
 * that a server whose flavor was deleted or made private still says what it runs on; 2.37 (below
 * it) lets a launch ask for `networks: "auto"`. Every Nova since Pike (2017) supports it.
 */
export const NOVA_MICROVERSION = '2.47';

export function openStackSettings(parameters: FieldValues): OpenStackSettings {
  return {
    networks: {
      public: optionalParameter(parameters, 'network.public'),
      private: optionalParameter(parameters, 'network.private'),
    },
    floatingIps: readParameter(parameters, 'floating.ips', 'boolean'),
    microversion: NOVA_MICROVERSION,
  };
}

export function keystoneSettings(parameters: FieldValues): KeystoneSettings {
  return {
    authUrl: readParameter(parameters, 'endpoint', 'string'),
    region: optionalParameter(parameters, 'service.region') ?? 'RegionOne',
    computeType: optionalParameter(parameters, 'service.type') ?? 'compute',
    computeName: optionalParameter(parameters, 'service.name'),
  };
}
