import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  CONNECTOR_CATALOG,
  connectorNameOf,
  didYouMean,
  listInstalledConnectorPackages,
} from '@slipstream/connector-core';
import { CliError } from './errors.js';
import { readTarballManifest } from './tarball.js';

/**
 * What `connectors add/remove` accept: a connector name from the catalog (`cloudstack`), an
 * installed connector's name (for remove), a package name, optionally with a version
 * (`slipstream-connector-foo@1.2.0`); for add also a third-party connector's name as the registry
 * lists it (`my-cloud`), a package tarball (`./x.tgz`, an absolute path) or a `file:` spec.
 */

/** One package to install: what the package manager is given, and what it installs. */
export interface AddTarget {
  /** The argument for the package manager: a package name (with version), or `file:/abs/path`. */
  readonly spec: string;
  /** The package name. */
  readonly package: string;
  readonly connector: string;
}

/** Looks a connector name up in the registry: the packages `connectors search` lists for it. */
export type RegistryLookup = (
  connector: string,
) => Promise<readonly { readonly name: string; readonly connector: string | null }[]>;

// npm's package name rules: optional scope, lowercase URL-safe characters, not starting with . or _.
const PACKAGE_SPEC = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(?:@[A-Za-z0-9.^~<>=*|+ -]+)?$/;
const PREFIX = /^(?:@slipstream\/connector-|slipstream-connector-)/;

export async function resolveAddTargets(
  names: readonly string[],
  serverDir: string,
  cwd: string,
  lookup: RegistryLookup,
): Promise<AddTarget[]> {
  const installed = listInstalledConnectorPackages(serverDir);
  const targets: AddTarget[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const target = isLocalPath(name)
      ? localTarget(name, cwd)
      : looksLikePackage(name)
        ? packageTarget(name)
        : await connectorTarget(name, installed, lookup);
    if (!targets.some((known) => known.spec === target.spec)) targets.push(target);
  }
  return targets;
}

export function resolveRemovePackages(names: readonly string[], serverDir: string): string[] {
  const installed = listInstalledConnectorPackages(serverDir);
  const resolved = names.map((raw) => {
    const name = raw.trim();
    if (looksLikePackage(name)) return bareName(packageTarget(name).spec);
    const lower = name.toLowerCase();
    // What is installed decides: a third-party connector is found by its connector name too.
    const present = installed.find((entry) => entry.connector === lower);
    if (present !== undefined) return present.package;
    const known = CONNECTOR_CATALOG.find((entry) => entry.connector === lower);
    if (known !== undefined) return known.package;
    throw unknownConnector(name, lower, installed, 'remove');
  });
  return [...new Set(resolved)];
}

/** `./x.tgz`, `../dir`, `/abs/x.tgz`, `file:…`, `C:\x.tgz`: a path, never a registry name. */
function isLocalPath(name: string): boolean {
  return (
    name.startsWith('file:') ||
    name.startsWith('./') ||
    name.startsWith('../') ||
    name === '.' ||
    name === '..' ||
    isAbsolute(name) ||
    /^[A-Za-z]:[\\/]/.test(name) ||
    /\.(tgz|tar\.gz)$/i.test(name)
  );
}

function looksLikePackage(name: string): boolean {
  return name.includes('/') || name.includes('@') || PREFIX.test(name);
}

/** A tarball or package directory: its package.json is read before anything is installed. */
function localTarget(given: string, cwd: string): AddTarget {
  const path = resolve(cwd, given.replace(/^file:(\/\/(?=\/))?/, ''));
  if (!existsSync(path)) {
    throw CliError.usage(
      `${given}: ${path} does not exist; give a package tarball (from "npm pack") or a package directory.`,
    );
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = statSync(path).isDirectory()
      ? (JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as Record<string, unknown>)
      : readTarballManifest(path);
  } catch (error) {
    throw CliError.usage(
      `${given}: ${path} is not a package: ${(error as Error).message}. Give a tarball made by "npm pack" or a directory with a package.json.`,
    );
  }
  const packageName = typeof manifest.name === 'string' ? manifest.name : '(no name)';
  const connector = connectorNameOf(packageName);
  if (connector === undefined) {
    throw CliError.usage(
      `${given} holds the package "${packageName}", which is not a connector package: the server loads only packages named @slipstream/connector-<name> or slipstream-connector-<name>. Nothing was installed.`,
    );
  }
  return { spec: `file:${path}`, package: packageName, connector };
}

function packageTarget(name: string): AddTarget {
  if (!PACKAGE_SPEC.test(name)) {
    throw CliError.usage(
      `"${name}" is not a valid package name; use a connector name such as "cloudstack" or a package name such as "@slipstream/connector-cloudstack".`,
    );
  }
  // Only what the loader can load: otherwise `remove @slipstream/server` would uninstall the server.
  const connector = connectorNameOf(bareName(name));
  if (connector === undefined) {
    throw CliError.usage(
      `"${name}" is not a connector package: the server loads only packages named @slipstream/connector-<name> or slipstream-connector-<name>.`,
    );
  }
  return { spec: name, package: bareName(name), connector };
}

async function connectorTarget(
  name: string,
  installed: readonly { connector: string; package: string }[],
  lookup: RegistryLookup,
): Promise<AddTarget> {
  const lower = name.toLowerCase();
  const known = CONNECTOR_CATALOG.find((entry) => entry.connector === lower);
  if (known?.status === 'planned') {
    throw CliError.usage(
      `the ${known.cloud} connector "${lower}" is planned but not published yet, so ${known.package} cannot be installed today.`,
    );
  }
  if (known !== undefined) return { spec: known.package, package: known.package, connector: lower };
  // A near miss of a known name is taken for a typo and never looked up: a package named after the
  // typo may exist in the registry, published by anyone.
  const suggestionError = unknownConnector(name, lower, installed, 'add');
  if (didYouMean(lower, knownConnectors(installed)) !== undefined) throw suggestionError;
  const found = (await lookup(lower)).filter((item) => item.connector === lower);
  // The loader's order: the scoped package before the unscoped one.
  const chosen = found.find((item) => item.name.startsWith('@slipstream/')) ?? found[0];
  if (chosen === undefined) throw suggestionError;
  return { spec: chosen.name, package: chosen.name, connector: lower };
}

function knownConnectors(installed: readonly { connector: string }[]): Set<string> {
  return new Set([
    ...CONNECTOR_CATALOG.map((entry) => entry.connector),
    ...installed.map((e) => e.connector),
  ]);
}

function unknownConnector(
  name: string,
  lower: string,
  installed: readonly { connector: string }[],
  operation: 'add' | 'remove',
): CliError {
  const candidates = knownConnectors(installed);
  const suggestion = didYouMean(lower, candidates);
  const known = `Known connectors: ${[...candidates].sort().join(', ')}.`;
  if (suggestion !== undefined)
    return CliError.usage(`unknown connector "${name}"; did you mean "${suggestion}"? ${known}`);
  return CliError.usage(
    operation === 'add'
      ? `unknown connector "${name}": neither the catalog nor the registry has a connector package for it. ${known} Find third-party connectors with "slipstream connectors search".`
      : `unknown connector "${name}": no installed package implements it. ${known} Installed connectors are listed by "slipstream connectors list".`,
  );
}

/** `@scope/name@1.2.0` → `@scope/name`. */
function bareName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at === -1 ? spec : spec.slice(0, at);
}
