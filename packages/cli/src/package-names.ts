import {
  CONNECTOR_CATALOG,
  connectorNameOf,
  didYouMean,
  listInstalledConnectorPackages,
} from '@slipstream/connector-core';
import { CliError } from './errors.js';

/**
 * What `connectors add/remove` accept: a connector name from the catalog (`cloudstack`), an
 * installed connector's name (for remove), or a package name, optionally with a version
 * (`slipstream-connector-foo@1.2.0`).
 */

// npm's package name rules: optional scope, lowercase URL-safe characters, not starting with . or _.
const PACKAGE_SPEC = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(?:@[A-Za-z0-9.^~<>=*|+ -]+)?$/;

export function resolvePackageNames(
  names: readonly string[],
  operation: 'add' | 'remove',
  serverDir: string,
): string[] {
  const installed = listInstalledConnectorPackages(serverDir);
  const resolved = names.map((name) => resolveOne(name.trim(), operation, installed));
  return [...new Set(resolved)];
}

function resolveOne(
  name: string,
  operation: 'add' | 'remove',
  installed: readonly { connector: string; package: string }[],
): string {
  if (
    name.includes('/') ||
    name.startsWith('@') ||
    name.includes('@') ||
    connectorNameOf(name) !== undefined
  ) {
    if (!PACKAGE_SPEC.test(name)) {
      throw CliError.usage(
        `"${name}" is not a valid package name; use a connector name such as "cloudstack" or a package name such as "@slipstream/connector-cloudstack".`,
      );
    }
    // Only what the loader can load: otherwise `remove @slipstream/server` would uninstall the server.
    if (connectorNameOf(bareName(name)) === undefined) {
      throw CliError.usage(
        `"${name}" is not a connector package: the server loads only packages named @slipstream/connector-<name> or slipstream-connector-<name>.`,
      );
    }
    return name;
  }
  const lower = name.toLowerCase();
  const known = CONNECTOR_CATALOG.find((entry) => entry.connector === lower);
  // For removal, what is installed decides: a third-party connector is found by its connector name too.
  const present = installed.find((entry) => entry.connector === lower);
  if (operation === 'remove' && present !== undefined) return present.package;
  if (known !== undefined) return known.package;
  const candidates = new Set([
    ...CONNECTOR_CATALOG.map((entry) => entry.connector),
    ...installed.map((entry) => entry.connector),
  ]);
  const suggestion = didYouMean(lower, candidates);
  throw CliError.usage(
    `unknown connector "${name}"${suggestion ? `; did you mean "${suggestion}"?` : '.'} Known connectors: ${[...candidates].sort().join(', ')}. A third-party connector is ${operation === 'add' ? 'added' : 'removed'} by its package name, e.g. slipstream-connector-${lower}.`,
  );
}

/** `@scope/name@1.2.0` → `@scope/name`. */
function bareName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at === -1 ? spec : spec.slice(0, at);
}
