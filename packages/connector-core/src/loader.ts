import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageNamesFor, RESERVED_NAMES } from './catalog.js';
import { unresolvedConnector } from './connector-advice.js';
import { type ConnectorListEntry, inspectConnectorList } from './connector-list.js';
import { CONTRACT_VERSION, type ConnectorDefinition } from './contract.js';
import { checkDefinition } from './definition.js';
import { ConnectorError, type ErrorCode, formatProblems, type Problem } from './errors.js';
import { type CreateInstanceOptions, createInstance, type LoadedInstance } from './instance.js';
import { classifyLicense } from './licenses.js';
import type { Logger } from './logger.js';
import { findPackage, type InstalledPackage, packageEntry, toSearchDirectory } from './packages.js';
import { errorText } from './sanitize.js';

export interface LoadOptions {
  /**
   * Where connector packages are installed: the directory (or a file in it, such as the loading
   * program's `import.meta.url`) whose `node_modules` and parents' `node_modules` are searched.
   * Required, so that connectors never resolve from the current working directory by accident.
   */
  readonly from: string | URL;
  /** Raw parameter values per instance name. */
  readonly parameters?: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> | undefined;
  /** Any problem throws instead of being reported in `registry.problems`. */
  readonly strict?: boolean | undefined;
  /** Parent logger; each instance gets `logger` with its name in the fields when it has `child`. */
  readonly logger?: (Logger & { child?: (fields: Record<string, unknown>) => Logger }) | undefined;
  /** Transport settings shared by every instance (timeouts, retries, debug hook). */
  readonly http?: CreateInstanceOptions['http'];
}

/** What an administrator sees of a loaded instance: the cloud, connector, package and license of SEED.md's connector table, per instance. */
export interface InstanceInfo {
  readonly name: string;
  readonly connector: string;
  readonly cloud: string;
  readonly package: string;
  readonly version: string;
  readonly license: string;
  readonly openSource: boolean;
  readonly description: string;
  /** 1-based position in the connector list. */
  readonly position: number;
}

/** A problem found while loading; `code` says which kind. */
export interface LoadProblem extends Problem {
  readonly code: ErrorCode;
}

export interface ConnectorRegistry {
  /** Loaded instances, in connector-list order. */
  readonly instances: readonly InstanceInfo[];
  /** Every problem, in connector-list order; entries with a problem are not loaded. */
  readonly problems: readonly LoadProblem[];
  /** The live instance; NOT_FOUND when no instance of that name was loaded. */
  instance(name: string): LoadedInstance;
  has(name: string): boolean;
  /** Closes every instance (their connection pools). */
  close(): Promise<void>;
}

interface ResolvedConnector {
  readonly definition: ConnectorDefinition;
  readonly package: InstalledPackage;
  readonly version: string;
  readonly license: string;
  readonly openSource: boolean;
  readonly description: string;
}

type Resolution =
  | { readonly ok: true; readonly value: ResolvedConnector }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/**
 * Resolves a connector list to installed packages and creates the instances. All problems are
 * collected in one pass — a bad list entry, an unknown or missing connector, an import that
 * throws, a contract mismatch, invalid parameters — and one broken connector never stops the
 * others. With `strict`, any problem throws one ConnectorError listing them all.
 */
export async function loadConnectors(
  value: string | undefined | null,
  options: LoadOptions,
): Promise<ConnectorRegistry> {
  const given = options?.from;
  const fromIsValid =
    given instanceof URL
      ? given.protocol === 'file:'
      : typeof given === 'string' && (isAbsolute(given) || given.startsWith('file:'));
  if (!fromIsValid) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      'loadConnectors needs "from": the absolute directory (or a file: URL such as import.meta.url) connector packages are installed in. A relative path would depend on the working directory.',
    );
  }
  const from = toSearchDirectory(given);
  const parameters = options.parameters ?? {};
  const listed = inspectConnectorList(value);
  const problems: LoadProblem[] = listed.problems.map((problem) => ({ ...problem, code: 'CONFIG_INVALID' }));

  // Each connector is resolved and imported once, however many instances use it; all in parallel.
  const names = [...new Set(listed.entries.map((entry) => entry.connector))];
  const resolutions = new Map(
    await Promise.all(names.map(async (name) => [name, await resolveConnector(name, from)] as const)),
  );

  const loaded = await Promise.all(
    listed.entries.map(
      async (entry): Promise<{ info: InstanceInfo; instance: LoadedInstance } | LoadProblem[]> => {
        const resolution = resolutions.get(entry.connector);
        if (!resolution?.ok) {
          return [
            entryProblem(
              entry,
              resolution?.code ?? 'CONNECTOR_LOAD_FAILED',
              resolution?.message ?? 'was not resolved.',
            ),
          ];
        }
        const connector = resolution.value;
        try {
          const instance = await createInstance(connector.definition, {
            instance: entry.instance,
            // Own properties only: an instance named "constructor" must not pick up Object's.
            parameters: Object.hasOwn(parameters, entry.instance) ? parameters[entry.instance] : undefined,
            logger:
              options.logger?.child?.({ instance: entry.instance, connector: entry.connector }) ??
              options.logger,
            http: options.http,
          });
          const info: InstanceInfo = {
            name: entry.instance,
            connector: entry.connector,
            cloud: connector.definition.cloud,
            package: connector.package.name,
            version: connector.version,
            license: connector.license,
            openSource: connector.openSource,
            description: connector.description,
            position: entry.position,
          };
          return { info, instance };
        } catch (error) {
          if (ConnectorError.hasCode(error, 'CONFIG_INVALID') && error.problems.length > 0) {
            // One problem per parameter, keeping its key, so a form can point at the field.
            return error.problems.map((problem) => ({
              ...entryProblem(entry, 'CONFIG_INVALID', `has an invalid parameter: ${problem.message}`),
              ...(problem.key === undefined ? {} : { key: problem.key }),
            }));
          }
          const code = ConnectorError.hasCode(error, 'CONFIG_INVALID')
            ? 'CONFIG_INVALID'
            : 'CONNECTOR_LOAD_FAILED';
          return [entryProblem(entry, code, `could not be created: ${(error as Error).message}`)];
        }
      },
    ),
  );

  const instances = new Map<string, LoadedInstance>();
  const infos: InstanceInfo[] = [];
  for (const result of loaded) {
    if (Array.isArray(result)) {
      problems.push(...result);
    } else {
      instances.set(result.info.name, result.instance);
      infos.push(result.info);
    }
  }
  problems.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));

  const registry: ConnectorRegistry = {
    instances: infos,
    problems,
    has: (name) => instances.has(name),
    instance(name) {
      const instance = instances.get(name);
      if (!instance) {
        const loadedNames = [...instances.keys()];
        throw new ConnectorError(
          'NOT_FOUND',
          `No connector instance "${name}" is loaded${loadedNames.length ? `; loaded: ${loadedNames.join(', ')}` : ''}.`,
          { instance: name },
        );
      }
      return instance;
    },
    async close() {
      await Promise.allSettled([...instances.values()].map((instance) => instance.close()));
    },
  };

  if (options.strict && problems.length > 0) {
    await registry.close();
    const codes = new Set(problems.map((problem) => problem.code));
    const [only] = codes;
    throw new ConnectorError(
      codes.size === 1 && only !== undefined ? only : 'CONFIG_INVALID',
      `Connectors could not be loaded (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${formatProblems(problems)}`,
      { problems },
    );
  }
  return registry;
}

function entryProblem(entry: ConnectorListEntry, code: ErrorCode, message: string): LoadProblem {
  return {
    code,
    position: entry.position,
    instance: entry.instance,
    connector: entry.connector,
    text: entry.instance === entry.connector ? entry.connector : `${entry.instance}:${entry.connector}`,
    message: `Entry ${entry.position} (instance "${entry.instance}", connector "${entry.connector}") ${message}`,
  };
}

async function resolveConnector(name: string, from: string): Promise<Resolution> {
  const failure = (code: ErrorCode, message: string): Resolution => ({ ok: false, code, message });
  if (RESERVED_NAMES.has(name))
    return failure('CONNECTOR_UNKNOWN', `names a SlipStream library, not a connector.`);
  const [scoped, unscoped] = packageNamesFor(name);
  let pkg: InstalledPackage | undefined;
  try {
    pkg = (await findPackage(scoped, from)) ?? (await findPackage(unscoped, from));
  } catch (error) {
    return failure('CONNECTOR_LOAD_FAILED', `has a broken package: ${(error as Error).message}`);
  }

  if (!pkg) {
    const { code, message } = unresolvedConnector(name, from);
    return failure(code, message);
  }

  const entry = packageEntry(pkg);
  if (entry === undefined) {
    return failure(
      'CONNECTOR_LOAD_FAILED',
      `cannot be imported: ${pkg.name} in ${pkg.dir} has no ESM entry point ("exports" or "main"). Reinstall it.`,
    );
  }
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(entry).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return failure(
      'CONNECTOR_LOAD_FAILED',
      `failed to import ${pkg.name}: ${reason}. Reinstall the package or check its version against this server.`,
    );
  }
  try {
    return checkModule(name, pkg, module);
  } catch (error) {
    // A definition with a throwing getter, say: still this connector's problem alone.
    return failure(
      'CONNECTOR_LOAD_FAILED',
      `uses ${pkg.name}, whose definition could not be read: ${errorText(error, [])}.`,
    );
  }
}

/** Checks an imported module's default export against the contract and reads its package data. */
function checkModule(name: string, pkg: InstalledPackage, module: { default?: unknown }): Resolution {
  const failure = (code: ErrorCode, message: string): Resolution => ({ ok: false, code, message });
  const definition = module.default;
  const contract = (definition as { contract?: unknown } | undefined)?.contract;
  if (typeof contract === 'number' && contract !== CONTRACT_VERSION) {
    return failure(
      'CONTRACT_MISMATCH',
      `uses ${pkg.name}, built for connector contract ${contract}, but this server implements contract ${CONTRACT_VERSION}. Install a version of ${pkg.name} made for contract ${CONTRACT_VERSION}.`,
    );
  }
  const definitionProblems = checkDefinition(definition);
  if (definitionProblems.length > 0) {
    return failure(
      'CONNECTOR_LOAD_FAILED',
      `uses ${pkg.name}, whose default export is not a valid connector definition: ${definitionProblems.join('; ')}.`,
    );
  }
  const valid = definition as ConnectorDefinition;
  if (valid.name !== name) {
    return failure(
      'CONNECTOR_LOAD_FAILED',
      `uses ${pkg.name}, which implements connector "${valid.name}", not "${name}".`,
    );
  }
  const { license, openSource } = classifyLicense(pkg.manifest.license ?? pkg.manifest.licenses);
  return {
    ok: true,
    value: {
      definition: valid,
      package: pkg,
      version: typeof pkg.manifest.version === 'string' ? pkg.manifest.version : '0.0.0',
      license,
      openSource,
      description: typeof pkg.manifest.description === 'string' ? pkg.manifest.description : '',
    },
  };
}
