/**
 * The license each publishable package must carry: the source document's table (../shared/SEED.md,
 * "Cloud Connector Name License") for the connectors, which the README repeats, and Apache-2.0 for
 * the open-source core, kit, simulators, server and commands around them.
 */
export type ExpectedLicense = 'Apache-2.0' | 'proprietary';

export const LICENSE_TABLE: ReadonlyMap<string, ExpectedLicense> = new Map<string, ExpectedLicense>([
  ['@slipstream/connector-core', 'Apache-2.0'],
  ['@slipstream/connector-testkit', 'Apache-2.0'],
  ['@slipstream/connector-local', 'Apache-2.0'],
  ['@slipstream/cloud-simulators', 'Apache-2.0'],
  ['@slipstream/server', 'Apache-2.0'],
  ['@slipstream/cli', 'Apache-2.0'],
  ['create-slipstream-connector', 'Apache-2.0'],
  ['@slipstream/connector-cloudstack', 'Apache-2.0'],
  ['@slipstream/connector-opennebula', 'Apache-2.0'],
  ['@slipstream/connector-openstack', 'Apache-2.0'],
  ['@slipstream/connector-aws', 'proprietary'],
  ['@slipstream/connector-exoscale', 'proprietary'],
  ['@slipstream/connector-otc', 'proprietary'],
  ['@slipstream/connector-nuvlabox', 'proprietary'],
  ['@slipstream/connector-vcloud', 'proprietary'],
]);

/** What a proprietary package's `license` field must say (npm's convention for custom terms). */
export const PROPRIETARY_FIELD = 'SEE LICENSE IN LICENSE';

/** Whether a LICENSE text is the Apache License 2.0. */
export function isApacheLicenseText(text: string): boolean {
  return /Apache License\s+Version 2\.0/i.test(text) && /TERMS AND CONDITIONS FOR USE/i.test(text);
}

/**
 * Whether a LICENSE text states proprietary terms: it must say so, and must not be an open-source
 * license text (the Apache License, or the usual permissive grants) copied by mistake.
 */
export function isProprietaryLicenseText(text: string): boolean {
  if (isApacheLicenseText(text)) return false;
  if (/Permission is hereby granted, free of charge/i.test(text)) return false;
  if (
    /GNU (?:Lesser |Affero )?General Public License/i.test(text) &&
    /Free Software Foundation/i.test(text)
  ) {
    return false;
  }
  return /\bproprietary\b/i.test(text) && /all rights reserved/i.test(text);
}
