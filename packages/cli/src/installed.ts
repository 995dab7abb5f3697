import { pathToFileURL } from 'node:url';
import {
  classifyLicense,
  findPackage,
  listInstalledConnectorPackages,
  packageEntry,
} from '@slipstream/connector-core';

/** A connector package installed next to the server, as `connectors list` shows it. */
export interface InstalledConnector {
  readonly package: string;
  readonly connector: string;
  readonly dir: string;
  readonly version: string;
  readonly license: string;
  readonly openSource: boolean;
  /** The connector contract its definition declares, or undefined when it could not be read. */
  readonly contract: number | undefined;
  /** Why the definition could not be read, when it could not. */
  readonly problem?: string;
}

export async function listInstalledConnectors(dir: string): Promise<InstalledConnector[]> {
  return Promise.all(listInstalledConnectorPackages(dir).map((found) => describePackage(found, dir)));
}

async function describePackage(
  found: { package: string; connector: string; dir: string },
  from: string,
): Promise<InstalledConnector> {
  const base = { package: found.package, connector: found.connector, dir: found.dir };
  let pkg: Awaited<ReturnType<typeof findPackage>>;
  try {
    pkg = await findPackage(found.package, from);
  } catch (error) {
    return { ...base, ...unknownFacts(), problem: (error as Error).message };
  }
  if (pkg === undefined) return { ...base, ...unknownFacts(), problem: 'its package.json disappeared' };
  const { license, openSource } = classifyLicense(pkg.manifest.license ?? pkg.manifest.licenses);
  const version = typeof pkg.manifest.version === 'string' ? pkg.manifest.version : '(none)';
  const facts = { ...base, version, license, openSource };
  const entry = packageEntry(pkg);
  if (entry === undefined)
    return { ...facts, contract: undefined, problem: 'no ESM entry point; reinstall it' };
  try {
    const module = (await import(pathToFileURL(entry).href)) as { default?: { contract?: unknown } };
    const contract = module.default?.contract;
    return typeof contract === 'number'
      ? { ...facts, contract }
      : { ...facts, contract: undefined, problem: 'its default export declares no contract version' };
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return { ...facts, contract: undefined, problem: `importing it failed: ${reason}` };
  }
}

function unknownFacts(): Pick<InstalledConnector, 'version' | 'license' | 'openSource' | 'contract'> {
  return { version: '(unknown)', license: '(unknown)', openSource: false, contract: undefined };
}
