import type { Failure } from './failure.js';
import {
  type ExpectedLicense,
  isApacheLicenseText,
  isProprietaryLicenseText,
  LICENSE_TABLE,
  PROPRIETARY_FIELD,
} from './licenses.js';
import { parseVersion, satisfies } from './semver.js';
import type { TarballFiles } from './tarball.js';

/** A package as `pnpm pack` produced it. */
export interface PackedPackage {
  readonly name: string;
  /** The package's folder in the workspace, for fix instructions. */
  readonly dir: string;
  readonly files: TarballFiles;
  /** package.json as packed (the text, to look for `workspace:` anywhere). */
  readonly manifestText: string;
  readonly manifest: Readonly<Record<string, unknown>>;
}

export interface Core {
  readonly name: string;
  /** core's version in the workspace, the one connectors are built and tested against. */
  readonly version: string;
}

export const CORE_PACKAGE = '@slipstream/connector-core';

/** A connector package by name (core's own rule, minus core and testkit). */
export function isConnectorPackage(name: string): boolean {
  const match = /^(?:@slipstream\/connector-|slipstream-connector-)([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(name);
  return match?.[1] !== undefined && match[1] !== 'core' && match[1] !== 'testkit';
}

/** The checks that read the packed manifest and file list (publint and attw run separately). */
export function checkPackedManifest(pkg: PackedPackage, core: Core): Failure[] {
  return [
    ...checkBuilt(pkg),
    ...checkNoWorkspaceRanges(pkg),
    ...checkLicense(pkg),
    ...checkCorePeer(pkg, core),
  ];
}

function failure(pkg: PackedPackage, check: string, problem: string, fix: string): Failure {
  return { package: pkg.name, check, problem, fix };
}

/** The packed files include the build output the manifest publishes. */
export function checkBuilt(pkg: PackedPackage): Failure[] {
  const published = pkg.manifest.files;
  const wantsDist =
    Array.isArray(published) && published.some((entry) => /^\.?\/?dist\/?$/.test(String(entry)));
  if (!wantsDist || [...pkg.files.keys()].some((path) => path.startsWith('dist/'))) return [];
  return [
    failure(
      pkg,
      'built',
      'the tarball has no dist/ files: the package was packed before it was built (or its build failed).',
      `build it first: pnpm turbo run build --filter ${pkg.name}`,
    ),
  ];
}

/** pnpm pack rewrites `workspace:` ranges; one left over would be uninstallable from a registry. */
export function checkNoWorkspaceRanges(pkg: PackedPackage): Failure[] {
  const lines = pkg.manifestText.split('\n').filter((line) => line.includes('workspace:'));
  if (lines.length === 0) return [];
  return [
    failure(
      pkg,
      'no workspace: ranges',
      `the packed package.json still contains ${lines.map((line) => line.trim()).join(', ')}.`,
      `publish with pnpm (pnpm pack / changeset publish through pnpm), which rewrites workspace: ranges, or write a real range in ${pkg.dir}/package.json.`,
    ),
  ];
}

const LICENSE_FILE = /^(?:LICENSE|LICENCE)(?:\.md|\.txt)?$/i;

/** `license` as the table says, and a LICENSE file in the tarball whose text matches it. */
export function checkLicense(pkg: PackedPackage): Failure[] {
  const failures: Failure[] = [];
  const expected: ExpectedLicense | undefined = LICENSE_TABLE.get(pkg.name);
  const field = pkg.manifest.license;
  const licenseFile = [...pkg.files.keys()].find((path) => LICENSE_FILE.test(path));
  const text = licenseFile === undefined ? undefined : pkg.files.get(licenseFile)?.toString('utf8');
  if (licenseFile === undefined) {
    failures.push(
      failure(
        pkg,
        'LICENSE file',
        'the tarball has no LICENSE file.',
        `add ${pkg.dir}/LICENSE (the Apache License 2.0 text, or the proprietary terms); npm packs it whatever "files" says.`,
      ),
    );
  }
  if (expected === undefined) {
    failures.push(
      failure(
        pkg,
        'license',
        `the package is not in the license table (its package.json says ${JSON.stringify(field)}).`,
        'a connector: add it to CONNECTOR_CATALOG in packages/connector-core/src/catalog.ts with the license SEED.md gives it; anything else: add it to TOOLING_LICENSES in tooling/release-checks/src/licenses.ts.',
      ),
    );
    return failures;
  }
  const wanted = expected === 'Apache-2.0' ? 'Apache-2.0' : PROPRIETARY_FIELD;
  if (field !== wanted) {
    failures.push(
      failure(
        pkg,
        'license',
        `"license" is ${field === undefined ? 'missing' : JSON.stringify(field)}; the license table says ${expected}.`,
        `set "license": "${wanted}" in ${pkg.dir}/package.json.`,
      ),
    );
  }
  if (text !== undefined && expected === 'Apache-2.0' && !isApacheLicenseText(text)) {
    failures.push(
      failure(
        pkg,
        'LICENSE file',
        `${licenseFile} is not the Apache License 2.0 text, but the package is Apache-2.0.`,
        `copy the repository's LICENSE to ${pkg.dir}/${licenseFile}.`,
      ),
    );
  }
  if (text !== undefined && expected === 'proprietary' && !isProprietaryLicenseText(text)) {
    failures.push(
      failure(
        pkg,
        'LICENSE file',
        `${licenseFile} does not state proprietary terms (it must say "proprietary" and "All rights reserved", and not be an open-source license), but the package is proprietary.`,
        `write the proprietary terms in ${pkg.dir}/${licenseFile} (see packages/connector-exoscale/LICENSE).`,
      ),
    );
  }
  return failures;
}

function dependencyTable(manifest: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  const table = manifest[key];
  return typeof table === 'object' && table !== null && !Array.isArray(table)
    ? (table as Record<string, unknown>)
    : {};
}

/**
 * Connectors take core as a peer dependency (one core per server, shared by every connector) whose
 * range contains the core they are built against; any other package that declares core as a peer
 * must accept that core too.
 */
export function checkCorePeer(pkg: PackedPackage, core: Core): Failure[] {
  if (pkg.name === core.name) return [];
  const peer = dependencyTable(pkg.manifest, 'peerDependencies')[core.name];
  const failures: Failure[] = [];
  const connector = isConnectorPackage(pkg.name);
  if (connector && core.name in dependencyTable(pkg.manifest, 'dependencies')) {
    failures.push(
      failure(
        pkg,
        'core peer dependency',
        `${core.name} is in "dependencies", so the connector would get its own copy of core instead of the server's.`,
        `move ${core.name} from "dependencies" to "peerDependencies" (and "devDependencies" for the build) in ${pkg.dir}/package.json.`,
      ),
    );
  }
  if (peer === undefined) {
    if (connector) {
      failures.push(
        failure(
          pkg,
          'core peer dependency',
          `${core.name} is not a peer dependency.`,
          `add "peerDependencies": { "${core.name}": "workspace:^" } to ${pkg.dir}/package.json.`,
        ),
      );
    }
    return failures;
  }
  let inRange: boolean;
  try {
    inRange = typeof peer === 'string' && satisfies(core.version, peer);
  } catch (error) {
    failures.push(
      failure(
        pkg,
        'core peer dependency',
        `the peer range ${JSON.stringify(peer)} cannot be read: ${(error as Error).message}`,
        `write a semver range such as "workspace:^" for ${core.name} in ${pkg.dir}/package.json.`,
      ),
    );
    return failures;
  }
  // A range open upwards (`*`, `>=1.0.0`, `^1 || ^2` before 2.0 exists) would let npm pair the
  // package with a core whose contract it was never built against.
  const nextMajor = parseVersion(core.version);
  if (inRange && nextMajor !== undefined && satisfies(`${nextMajor.major + 1}.0.0`, peer as string)) {
    failures.push(
      failure(
        pkg,
        'core peer dependency',
        `the peer range ${JSON.stringify(peer)} also accepts core ${nextMajor.major + 1}.0.0, a major version the package was never built against.`,
        `bound the range below the next major (e.g. "workspace:^", packed as "^${core.version}") in ${pkg.dir}/package.json.`,
      ),
    );
  }
  if (!inRange) {
    failures.push(
      failure(
        pkg,
        'core peer dependency',
        `the peer range ${JSON.stringify(peer)} does not contain core's workspace version ${core.version}, the one the package is built and tested against.`,
        `widen the range (e.g. "workspace:^", packed as "^${core.version}") in ${pkg.dir}/package.json, with a changeset for the package.`,
      ),
    );
  }
  return failures;
}
