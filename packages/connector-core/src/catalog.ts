/**
 * The connectors SlipStream knows by name (SEED.md's connector table, plus the embedded
 * local cloud): the one list of them. The loader uses it to tell "not installed" from "no such
 * connector" and to suggest names; the release checks take each package's license from it, and a
 * test holds the README's table to it. Third-party connectors outside it still load when installed.
 */
export interface CatalogEntry {
  readonly connector: string;
  readonly cloud: string;
  readonly package: string;
  /** The license SEED.md's table gives the connector. */
  readonly license: 'Apache-2.0' | 'proprietary';
  /** Whether this repository publishes the package yet. */
  readonly status: 'available' | 'planned';
}

export const CONNECTOR_CATALOG: readonly CatalogEntry[] = Object.freeze([
  {
    connector: 'aws',
    cloud: 'Amazon EC2',
    package: '@slipstream/connector-aws',
    license: 'proprietary',
    status: 'available',
  },
  {
    connector: 'cloudstack',
    cloud: 'CloudStack',
    package: '@slipstream/connector-cloudstack',
    license: 'Apache-2.0',
    status: 'available',
  },
  {
    connector: 'exoscale',
    cloud: 'Exoscale',
    package: '@slipstream/connector-exoscale',
    license: 'proprietary',
    status: 'available',
  },
  {
    connector: 'opennebula',
    cloud: 'OpenNebula',
    package: '@slipstream/connector-opennebula',
    license: 'Apache-2.0',
    status: 'available',
  },
  {
    connector: 'openstack',
    cloud: 'OpenStack',
    package: '@slipstream/connector-openstack',
    license: 'Apache-2.0',
    status: 'available',
  },
  {
    connector: 'otc',
    cloud: 'Open Telekom Cloud',
    package: '@slipstream/connector-otc',
    license: 'proprietary',
    status: 'available',
  },
  {
    connector: 'nuvlabox',
    cloud: 'NuvlaBox',
    package: '@slipstream/connector-nuvlabox',
    license: 'proprietary',
    status: 'available',
  },
  {
    connector: 'vcloud',
    cloud: 'VMware vCloud',
    package: '@slipstream/connector-vcloud',
    license: 'proprietary',
    status: 'available',
  },
  {
    connector: 'local',
    cloud: 'Local (in-process)',
    package: '@slipstream/connector-local',
    license: 'Apache-2.0',
    status: 'available',
  },
]);

/** Names of core's own packages that share the connector prefix: never connectors. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['core', 'testkit']);

/** Package names a connector name resolves to, in the order the loader tries them. */
export function packageNamesFor(connector: string): [scoped: string, unscoped: string] {
  return [`@slipstream/connector-${connector}`, `slipstream-connector-${connector}`];
}

/** The connector name a package name implements, or undefined for other packages. */
export function connectorNameOf(packageName: string): string | undefined {
  const match = /^(?:@slipstream\/connector-|slipstream-connector-)([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(
    packageName,
  );
  const name = match?.[1];
  return name === undefined || RESERVED_NAMES.has(name) ? undefined : name;
}
