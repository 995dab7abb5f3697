import { type CatalogEntry, CONNECTOR_CATALOG, packageNamesFor } from './catalog.js';
import type { ErrorCode } from './errors.js';
import { installationDir, installCommand, listInstalledConnectorPackages } from './packages.js';
import { didYouMean } from './suggest.js';

/**
 * What the loader says about a connector name no installed package implements. The advice must
 * never lead astray: a typo gets its correction and no install command for a package named after
 * the typo (anyone may publish `slipstream-connector-cloudstak`), and a connector the catalog only
 * plans gets no install command for a package that does not exist yet.
 */
export function unresolvedConnector(
  name: string,
  from: string,
  catalog: readonly CatalogEntry[] = CONNECTOR_CATALOG,
): { readonly code: ErrorCode; readonly message: string } {
  const known = catalog.find((entry) => entry.connector === name);
  if (known?.status === 'planned') {
    return {
      code: 'CONNECTOR_NOT_INSTALLED',
      message: `is planned but not published yet: the ${known.cloud} connector (${known.package}) cannot be installed today. Remove "${name}" from the list until it is released.`,
    };
  }
  if (known !== undefined) {
    return {
      code: 'CONNECTOR_NOT_INSTALLED',
      message: `is not installed: the ${known.cloud} connector is the package ${known.package}. Run \`${installCommand(known.package, from)}\` in ${installationDir(from)}, then restart the server.`,
    };
  }
  const candidates = new Set([
    ...catalog.map((entry) => entry.connector),
    ...listInstalledConnectorPackages(from).map((entry) => entry.connector),
  ]);
  const knownList = `Known connectors: ${[...candidates].sort().join(', ')}.`;
  const suggestion = didYouMean(name, candidates);
  if (suggestion !== undefined) {
    return {
      code: 'CONNECTOR_UNKNOWN',
      message: `is not a known connector: did you mean "${suggestion}"? ${knownList} If you do mean a third-party connector "${name}", check who publishes it (\`slipstream connectors search ${name}\`) before installing it by its package name.`,
    };
  }
  const [, unscoped] = packageNamesFor(name);
  return {
    code: 'CONNECTOR_UNKNOWN',
    message: `is not a known connector. ${knownList} A third-party connector must be installed first: \`${installCommand(unscoped, from)}\`, then restart the server.`,
  };
}
