import { isAbsolute, resolve } from 'node:path';
import { CONNECTOR_CATALOG, connectorNameOf, isValidName } from '@slipstream/connector-core';
import { type Checkout, inspectCheckout } from './checkout.js';
import { ScaffoldError } from './errors.js';
import { type ResolvedLicense, resolveLicense } from './license.js';

/** What `scaffoldConnector` accepts; only `name` is required. */
export interface ScaffoldOptions {
  /** The connector name: lowercase kebab-case, e.g. `acme-cloud`. */
  readonly name: string;
  /** Target directory; default: the package name without its scope, under `cwd`. */
  readonly dir?: string | undefined;
  /** Base of a relative `dir`; default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /**
   * `@slipstream` for one of SlipStream's own connectors, `@slipstream/connector-<name>`; default
   * unscoped, `slipstream-connector-<name>`. The loader finds connectors only under these two names,
   * so any other scope is refused.
   */
  readonly scope?: string | undefined;
  /**
   * Any SPDX license expression (`MIT`, `Apache-2.0`, `MIT OR Apache-2.0`; ids in any case),
   * `UNLICENSED`, `SEE LICENSE IN <file>`, or `proprietary` for `SEE LICENSE IN LICENSE`. Default
   * `Apache-2.0`.
   */
  readonly license?: string | undefined;
  /** The cloud's display name; default derived from the name (`acme-cloud` → `Acme Cloud`). */
  readonly cloud?: string | undefined;
  /** Year of the LICENSE's copyright line; default the current year. */
  readonly year?: number | undefined;
  /**
   * A SlipStream checkout (relative to `cwd`) whose built packages the generated package depends on
   * as `file:` dependencies, for as long as the @slipstream packages are not published.
   */
  readonly fromCheckout?: string | undefined;
}

/** Validated options with every default applied. */
export interface ResolvedOptions {
  readonly name: string;
  readonly packageName: string;
  readonly scope: string | undefined;
  readonly license: ResolvedLicense;
  readonly cloud: string;
  /** Absolute target directory. */
  readonly dir: string;
  readonly year: number;
  /** The checkout the @slipstream packages come from, or undefined for the registry. */
  readonly checkout: Checkout | undefined;
  /** Things the author should know that do not stop the scaffold. */
  readonly notes: readonly string[];
}

/** Files the scaffold writes whatever the license: `SEE LICENSE IN <file>` may not name them. */
const GENERATED_FILES = [
  'package.json',
  'README.md',
  'tsconfig.json',
  'tsup.config.ts',
  '.gitignore',
  'src',
  'scripts',
  'dist',
  'node_modules',
];
const NAME_HELP = 'use lowercase letters, digits and single hyphens between them (kebab-case)';
const SCOPE_PATTERN = /^@[a-z0-9][a-z0-9._-]*$/;
// Letters and digits of any script and a few punctuation marks: the display name goes into
// TypeScript string literals, comments and Markdown tables, where quotes, backslashes, braces,
// pipes and asterisks would each need their own escaping.
const CLOUD_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .&()/+,:-]*$/u;
const MAX_CLOUD_LENGTH = 80;
const MAX_PACKAGE_NAME_LENGTH = 214;
/** The package-name prefixes connectors are published under; a name given with one is a mistake. */
const PACKAGE_PREFIXES = [/^@[^/]+\/connector-/, /^slipstream-connector-/];

/** Checks every option, reporting all problems in one ScaffoldError, and applies the defaults. */
export function resolveOptions(options: ScaffoldOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ScaffoldError('INVALID_OPTIONS', 'scaffoldConnector needs an options object with a "name".');
  }
  const problems: string[] = [];
  // The scope is checked first (a catalog name is allowed under @slipstream), reported second.
  const scopeProblems: string[] = [];
  const scope = checkScope(options.scope, options.name, scopeProblems);
  const name = checkName(options.name, scope, problems);
  problems.push(...scopeProblems);
  const license = resolveLicense(options.license, GENERATED_FILES, problems);
  const cloud = checkCloud(options.cloud, name, problems);
  const year = options.year ?? new Date().getFullYear();
  if (!Number.isInteger(year) || year < 1970 || year > 9999) {
    problems.push(`Year ${String(options.year)} is not valid: give a four-digit year such as 2026.`);
  }
  const packageName = scope === undefined ? `slipstream-connector-${name}` : `${scope}/connector-${name}`;
  if (name !== '' && packageName.length > MAX_PACKAGE_NAME_LENGTH) {
    problems.push(
      `Package name ${packageName} is ${packageName.length} characters long; npm allows ${MAX_PACKAGE_NAME_LENGTH}. Choose a shorter name.`,
    );
  }
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir.trim() === '')) {
    problems.push('The target directory (--dir) must be a non-empty path.');
  }
  if (options.cwd !== undefined && (typeof options.cwd !== 'string' || !isAbsolute(options.cwd))) {
    problems.push(`The base directory (cwd) must be an absolute path, got ${JSON.stringify(options.cwd)}.`);
  }
  const base = options.cwd ?? process.cwd();
  let checkout: Checkout | undefined;
  if (options.fromCheckout !== undefined) {
    if (typeof options.fromCheckout !== 'string' || options.fromCheckout.trim() === '') {
      problems.push('The checkout (--from-checkout) must be the path of a SlipStream checkout.');
    } else {
      checkout = inspectCheckout(resolve(base, options.fromCheckout.trim()), problems);
    }
  }
  if (problems.length > 0) {
    const heading =
      problems.length === 1
        ? (problems[0] ?? '')
        : `The options are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    throw new ScaffoldError('INVALID_OPTIONS', heading, problems);
  }
  const dir = resolve(base, options.dir ?? packageName.replace(/^@[^/]+\//, ''));
  // Problems were reported above, so the license is resolved here.
  const resolvedLicense = license as ResolvedLicense;
  return {
    name,
    packageName,
    scope,
    license: resolvedLicense,
    cloud,
    dir,
    year,
    checkout,
    notes: [...notesFor(scope), ...licenseNotes(resolvedLicense)],
  };
}

function checkName(value: unknown, scope: string | undefined, problems: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('A connector name is required, e.g. "acme-cloud".');
    return '';
  }
  const given = value.trim();
  const prefix = PACKAGE_PREFIXES.find((pattern) => pattern.test(given));
  if (prefix !== undefined) {
    const bare = given.replace(prefix, '');
    problems.push(
      `Connector name "${given}" is a package name: give the connector name alone ("${bare}"); the package name is derived from it.`,
    );
    return '';
  }
  if (!isValidName(given)) {
    const suggestion = given
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    problems.push(
      `Connector name "${given}" is not valid: ${NAME_HELP}${suggestion !== '' && isValidName(suggestion) ? `, e.g. "${suggestion}"` : ', e.g. "acme-cloud"'}.`,
    );
    return '';
  }
  if (connectorNameOf(`slipstream-connector-${given}`) === undefined) {
    problems.push(
      `Connector name "${given}" is reserved: @slipstream/connector-${given} is a SlipStream library, not a connector, and the loader refuses it. Choose another name, e.g. "${given}-cloud".`,
    );
    return '';
  }
  // The loader tries @slipstream/connector-<name> before slipstream-connector-<name>: a third-party
  // package under a catalog name loses to SlipStream's own whenever that is installed, and
  // administrators asking for "aws" mean SlipStream's. Only SlipStream's own package may use it.
  const known = CONNECTOR_CATALOG.find((entry) => entry.connector === given);
  if (known !== undefined && scope !== '@slipstream') {
    problems.push(
      `Connector name "${given}" is reserved: it is SlipStream's own ${known.cloud} connector (${known.package}), which the loader picks over slipstream-connector-${given} whenever it is installed, and which administrators mean by "${given}". Choose a name of your own, e.g. "${given}-acme" (the cloud, then your organisation) or "acme-${given}".`,
    );
    return '';
  }
  return given;
}

/**
 * The loader resolves connector `<name>` to `@slipstream/connector-<name>` or
 * `slipstream-connector-<name>` and nothing else (core's packageNamesFor), so a package under any
 * other scope would never be found by the name administrators write in the connector list. Such a
 * scope is refused rather than generated with an install-under-an-alias workaround.
 */
function checkScope(value: unknown, name: unknown, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(
      'The scope (--scope) must be "@slipstream", for SlipStream\'s own connectors; leave it out for yours.',
    );
    return undefined;
  }
  const scope = value.trim().startsWith('@') ? value.trim() : `@${value.trim()}`;
  if (scope === '@slipstream') return scope;
  const shown = typeof name === 'string' && isValidName(name.trim()) ? name.trim() : '<name>';
  problems.push(
    `Scope "${value}" cannot be used: the SlipStream loader finds connector "${shown}" only as @slipstream/connector-${shown} (SlipStream's own) or slipstream-connector-${shown}, so ${SCOPE_PATTERN.test(scope) ? `${scope}/connector-${shown}` : 'a package under that scope'} would never be loaded. Leave out --scope: the package is then named slipstream-connector-${shown}, the name to publish it under.`,
  );
  return undefined;
}

function checkCloud(value: unknown, name: string, problems: string[]): string {
  if (value === undefined) return displayName(name);
  const cloud = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '';
  if (cloud === '' || cloud.length > MAX_CLOUD_LENGTH || !CLOUD_PATTERN.test(cloud)) {
    problems.push(
      `Cloud display name ${JSON.stringify(value)} is not valid: give 1 to ${MAX_CLOUD_LENGTH} characters starting with a letter or digit, using letters, digits, spaces and . & ( ) / + , : - only, e.g. "Acme Cloud".`,
    );
    return '';
  }
  return cloud;
}

/** `acme-cloud` → `Acme Cloud`: a starting point the author can change with --cloud. */
export function displayName(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function notesFor(scope: string | undefined): string[] {
  const notes: string[] = [];
  if (scope === '@slipstream') {
    notes.push(
      'Inside the SlipStream repository, set the @slipstream/* dependencies to "workspace:^" (peer and dev) and extend @slipstream/tooling-config, as the other connector packages do.',
    );
  }
  return notes;
}

function licenseNotes(license: ResolvedLicense): string[] {
  if (license.kind !== 'spdx') return [];
  return license.deprecated.map(
    ([id, replacement]) =>
      `SPDX has deprecated the license id ${id}${replacement === undefined ? '' : `; the current one is ${replacement}`}. npm accepts it, but consider --license ${replacement ?? '<current id>'}.`,
  );
}
