import { CONNECTOR_CATALOG } from '@slipstream/connector-core';

/**
 * The license each publishable package must carry: each connector's from core's connector catalog
 * (the one list of connectors, which follows SEED.md's "Cloud Connector Name License" table and
 * which the README's table is checked against), and Apache-2.0 for the open-source core, kit,
 * simulators, server and commands around them.
 */
export type ExpectedLicense = 'Apache-2.0' | 'proprietary';

const TOOLING_LICENSES: ReadonlyArray<readonly [string, ExpectedLicense]> = [
  ['@slipstream/connector-core', 'Apache-2.0'],
  ['@slipstream/connector-testkit', 'Apache-2.0'],
  ['@slipstream/cloud-simulators', 'Apache-2.0'],
  ['@slipstream/server', 'Apache-2.0'],
  ['@slipstream/cli', 'Apache-2.0'],
  ['create-slipstream-connector', 'Apache-2.0'],
];

export const LICENSE_TABLE: ReadonlyMap<string, ExpectedLicense> = new Map<string, ExpectedLicense>([
  ...TOOLING_LICENSES,
  ...CONNECTOR_CATALOG.map((entry) => [entry.package, entry.license] as const),
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
