import { pathToFileURL } from 'node:url';
import {
  findPackage,
  instanceParameterSpecs,
  type ParameterSpec,
  packageEntry,
  packageNamesFor,
} from '@slipstream/connector-core';

/**
 * The parameters an instance of `connector` still needs before it loads: required, without a
 * default, and without a stored value. Read from the installed package's definition, in the
 * loader's order (scoped package first). Undefined when the definition cannot be read: the
 * loader will say why at the next start, and `config check` says it now.
 */
export async function parametersNeeded(
  connector: string,
  serverDir: string,
  stored: ReadonlySet<string> = new Set(),
): Promise<string[] | undefined> {
  try {
    for (const name of packageNamesFor(connector)) {
      const pkg = await findPackage(name, serverDir);
      if (pkg === undefined) continue;
      const entry = packageEntry(pkg);
      if (entry === undefined) return undefined;
      const module = (await import(pathToFileURL(entry).href)) as { default?: { parameters?: unknown } };
      const parameters = module.default?.parameters;
      if (!Array.isArray(parameters)) return undefined;
      return instanceParameterSpecs({ parameters: parameters as ParameterSpec[] })
        .filter((spec) => spec.required === true && spec.default === undefined && !stored.has(spec.key))
        .map((spec) => spec.key);
    }
    return undefined;
  } catch {
    return undefined;
  }
}
