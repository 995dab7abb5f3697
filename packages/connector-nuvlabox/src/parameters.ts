import {
  ConnectorError,
  type CredentialSpec,
  type FieldValues,
  optionalParameter,
  type ParameterSpec,
  readParameter,
} from '@slipstream/connector-core';
import {
  OPENNEBULA_CREDENTIALS,
  OPENNEBULA_PARAMETERS,
  type OpenNebulaSettings,
  settingsFrom as openNebulaSettings,
} from '@slipstream/connector-opennebula/extend';

/**
 * A NuvlaBox's parameters: OpenNebula's, with the box's defaults. The administrator names the box
 * (`box`, required); the XML-RPC endpoint is the box's one-proxy, `https://<box>:11361/one-proxy/xmlrpc`,
 * unless `endpoint` says otherwise. Sizes are for a small box, networks the ones the box makes.
 */

export const NUVLABOX_DEFAULTS = Object.freeze({
  port: 11361,
  path: '/one-proxy/xmlrpc',
  instanceTypes: 'micro=1:256,small=1:512,medium=1:1024,large=2:2048',
  networkPublic: 'public',
  networkPrivate: 'private',
});

const OWN: Readonly<Record<string, Partial<ParameterSpec>>> = {
  endpoint: {
    description: `The box's XML-RPC URL; by default https://<box>:${NUVLABOX_DEFAULTS.port}${NUVLABOX_DEFAULTS.path}. Set it when the box is reached another way (a tunnel, another port).`,
    required: false,
  },
  'network.public': {
    description: "The box's virtual network (id or name) for outside access; every VM gets a NIC on it.",
    default: NUVLABOX_DEFAULTS.networkPublic,
  },
  'network.private': {
    description:
      "The box's virtual network (id or name) for traffic between its VMs; every VM gets a NIC on it too.",
    default: NUVLABOX_DEFAULTS.networkPrivate,
  },
  'instance.types': {
    description:
      'The sizes offered, as name=vCPUs:memoryMiB pairs separated by commas; by default sized for a small box.',
    default: NUVLABOX_DEFAULTS.instanceTypes,
  },
};

export const NUVLABOX_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'box',
    label: 'NuvlaBox',
    description:
      'The host name or address of the NuvlaBox this instance works with, e.g. nuvlabox-42.example.org. One instance per box.',
    type: 'string',
    required: true,
  },
  ...OPENNEBULA_PARAMETERS.map((spec) => (OWN[spec.key] ? { ...spec, ...OWN[spec.key] } : spec)),
]);

/** The box's OpenNebula users: user name and password, as OpenNebula's. */
export const NUVLABOX_CREDENTIALS: readonly CredentialSpec[] = OPENNEBULA_CREDENTIALS;

// A host name (RFC 1123 labels), an IPv4 address, or an IPv6 address in brackets.
const HOST =
  /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/;

/** The box the instance works with; CONFIG_INVALID when `box` is not a host name or address. */
export function boxOf(parameters: FieldValues): string {
  const box = readParameter(parameters, 'box', 'string').trim();
  if (!HOST.test(box)) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "box" is "${box}", which is not a host name or address; give the box's name alone, e.g. nuvlabox-42.example.org (no scheme, port or path).`,
    );
  }
  return box;
}

/** OpenNebula's settings for the box: its endpoint, from `box` unless `endpoint` is set. */
export function settingsFrom(parameters: FieldValues): OpenNebulaSettings {
  const endpoint =
    optionalParameter(parameters, 'endpoint') ??
    `https://${boxOf(parameters)}:${NUVLABOX_DEFAULTS.port}${NUVLABOX_DEFAULTS.path}`;
  return openNebulaSettings(parameters, endpoint);
}
