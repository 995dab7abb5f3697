import { isAbsolute, resolve } from 'node:path';
import { CONNECTOR_CATALOG, connectorNameOf, isValidName } from '@slipstream/connector-core';
import { ScaffoldError } from './errors.js';

export const LICENSE_CHOICES = ['apache-2.0', 'proprietary'] as const;
export type LicenseChoice = (typeof LICENSE_CHOICES)[number];

/** What `scaffoldConnector` accepts; only `name` is required. */
export interface ScaffoldOptions {
  /** The connector name: lowercase kebab-case, e.g. `acme-cloud`. */
  readonly name: string;
  /** Target directory; default: the package name without its scope, under `cwd`. */
  readonly dir?: string | undefined;
  /** Base of a relative `dir`; default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** npm scope (`@acme`) for a package named `@acme/connector-<name>`; default unscoped. */
  readonly scope?: string | undefined;
  /** Default `apache-2.0`. */
  readonly license?: string | undefined;
  /** The cloud's display name; default derived from the name (`acme-cloud` → `Acme Cloud`). */
  readonly cloud?: string | undefined;
  /** Year of the proprietary LICENSE's copyright line; default the current year. */
  readonly year?: number | undefined;
}

/** Validated options with every default applied. */
export interface ResolvedOptions {
  readonly name: string;
  readonly packageName: string;
  readonly scope: string | undefined;
  readonly license: LicenseChoice;
  readonly cloud: string;
  /** Absolute target directory. */
  readonly dir: string;
  readonly year: number;
  /** Things the author should know that do not stop the scaffold. */
  readonly notes: readonly string[];
}

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
  const name = checkName(options.name, problems);
  const scope = checkScope(options.scope, problems);
  const license = checkLicense(options.license, problems);
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
  if (problems.length > 0) {
    const heading =
      problems.length === 1
        ? (problems[0] ?? '')
        : `The options are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    throw new ScaffoldError('INVALID_OPTIONS', heading, problems);
  }
  const base = options.cwd ?? process.cwd();
  const dir = resolve(base, options.dir ?? packageName.replace(/^@[^/]+\//, ''));
  return { name, packageName, scope, license, cloud, dir, year, notes: notesFor(name, packageName, scope) };
}

function checkName(value: unknown, problems: string[]): string {
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
      `Connector name "${given}" is reserved: @slipstream/connector-${given} is a SlipStream library, not a connector, and the loader refuses it. Choose another name.`,
    );
    return '';
  }
  return given;
}

function checkScope(value: unknown, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('The scope (--scope) must be an npm scope such as "@acme".');
    return undefined;
  }
  const scope = value.trim().startsWith('@') ? value.trim() : `@${value.trim()}`;
  if (!SCOPE_PATTERN.test(scope)) {
    problems.push(
      `Scope "${value}" is not a valid npm scope: use "@" followed by lowercase letters, digits, ".", "_" or "-", e.g. "@acme".`,
    );
    return undefined;
  }
  return scope;
}

function checkLicense(value: unknown, problems: string[]): LicenseChoice {
  if (value === undefined) return 'apache-2.0';
  const choice = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if ((LICENSE_CHOICES as readonly string[]).includes(choice)) return choice as LicenseChoice;
  problems.push(
    `License ${JSON.stringify(value)} is not one of ${LICENSE_CHOICES.join(', ')}: apache-2.0 publishes the connector as open source, proprietary under your own terms ("SEE LICENSE IN LICENSE").`,
  );
  return 'apache-2.0';
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

function notesFor(name: string, packageName: string, scope: string | undefined): string[] {
  const notes: string[] = [];
  const known = CONNECTOR_CATALOG.find((entry) => entry.connector === name);
  if (known !== undefined && known.package !== packageName) {
    notes.push(
      `SlipStream already has a "${name}" connector (${known.package}, ${known.cloud}); when both are installed the loader uses ${known.package}. Choose another name unless you mean to replace it.`,
    );
  }
  if (scope !== undefined && scope !== '@slipstream') {
    notes.push(
      `The SlipStream loader finds connector "${name}" as @slipstream/connector-${name} or slipstream-connector-${name}, not as ${packageName}: administrators install it under an alias, \`npm install slipstream-connector-${name}@npm:${packageName}\`.`,
    );
  }
  if (scope === '@slipstream') {
    notes.push(
      'Inside the SlipStream repository, set the @slipstream/* dependencies to "workspace:^" (peer and dev) and extend @slipstream/tooling-config, as the other connector packages do.',
    );
  }
  return notes;
}
