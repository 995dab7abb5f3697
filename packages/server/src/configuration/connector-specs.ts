import { pathToFileURL } from 'node:url';
import {
  findPackage,
  instanceParameterSpecs,
  type ParameterSpec,
  packageEntry,
  packageNamesFor,
  toSearchDirectory,
} from '@slipstream/connector-core';

/**
 * The parameter specs of an installed connector, read before any instance exists so the first start
 * can tell which seeded parameters are secrets and seal them. Best effort by design: whatever keeps
 * us from reading the specs (not installed, broken package) is reported later by core's loader with
 * a proper message, so here it only means "no specs known".
 */
export async function installedParameterSpecs(
  connector: string,
  from: string,
): Promise<ParameterSpec[] | undefined> {
  try {
    const directory = toSearchDirectory(from);
    // The loader's order: the scoped package first, then the unscoped one.
    for (const name of packageNamesFor(connector)) {
      const pkg = await findPackage(name, directory);
      if (pkg === undefined) continue;
      const entry = packageEntry(pkg);
      if (entry === undefined) return undefined;
      const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
      const parameters = (module.default as { parameters?: unknown } | undefined)?.parameters;
      return Array.isArray(parameters)
        ? instanceParameterSpecs({ parameters: parameters as ParameterSpec[] })
        : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
