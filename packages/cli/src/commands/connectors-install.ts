import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connectorNameOf,
  formatProblems,
  inspectConnectorList,
  isValidName,
  type LoadProblem,
  listInstalledConnectorPackages,
} from '@slipstream/connector-core';
import { ServerError, setStoredConnectors } from '@slipstream/server';
import { type Command, type CommandIo, EXIT } from '../command.js';
import { type ConfiguredInstances, readConfiguredOrFail, resolveHome } from '../configured.js';
import { defineCommand, type Parsed } from '../define.js';
import { CliError } from '../errors.js';
import { painter, startProgress, writeJson } from '../output.js';
import {
  detectPackageManager,
  errorSummary,
  type Operation,
  packageManagerArgs,
  runPackageManager,
} from '../package-manager.js';
import { type AddTarget, resolveAddTargets, resolveRemovePackages } from '../package-names.js';
import { parametersNeeded } from '../parameters-needed.js';
import { resolveRegistry } from '../registry/resolve.js';
import { searchConnectors } from '../registry/search.js';
import { resolveServerDir } from '../server-dir.js';

const WHERE_HELP = `  --server-dir DIR  the server installation (default: in a checkout of this repository its
                    packages/server; else where @slipstream/server resolves from the current
                    directory; else the current directory)
  --home DIR        the server's data directory, for its configured instances (default:
                    SLIPSTREAM_HOME, else ./.slipstream); must exist when given`;

export const ADD_HELP = `Usage: slipstream connectors add <name...> [--instance NAME] [--server-dir DIR] [--home DIR] [--json]

Installs connector packages in the server's installation with the package manager it uses
(pnpm-lock.yaml: pnpm, yarn.lock: yarn, otherwise npm; in a pnpm workspace, the server's workspace
package). A name is one of:
  cloudstack                        a connector of the catalog (@slipstream/connector-cloudstack)
  my-cloud                          a third-party connector "connectors search" lists as my-cloud
  slipstream-connector-acme@1.2.0   a package name, optionally with a version
  ./slipstream-connector-acme-1.2.0.tgz, /abs/x.tgz, file:../acme
                                    a tarball from "npm pack" or a package directory (air-gapped
                                    installs, a connector's local build); its package.json must
                                    name a connector package, checked before installing

Then prints the parameters each instance of the connector still needs (required, without a default
and without a stored value): set them on the configuration page. Restart the server to load it.

Flags:
  --instance NAME   also append NAME:<connector> (or <connector> when NAME is the connector's name)
                    to the connector list stored in the server's data directory; one name only
${WHERE_HELP}
  --json            one JSON document: { "operation", "packages", "packageManager", "serverDir",
                    "instance", "connectors", "parametersNeeded" }
  -h, --help        this help

Exit statuses: 0 installed, 1 installed but the instance could not be added to the list (every
problem is listed), 2 bad usage or unknown connector, 3 the registry or the package manager failed
(nothing is left half-installed: the package manager rolls back).
`;

export const REMOVE_HELP = `Usage: slipstream connectors remove <name...> [--force] [--server-dir DIR] [--home DIR] [--json]

Removes connector packages from the server's installation with the package manager it uses. A name
is a connector name ("cloudstack") or a package name. A package that configured instances use is
removed only with --force (they would not load at the next start); the instances are named.
Restart the server to unload them.

Flags:
  --force           remove a package even though configured instances use it
${WHERE_HELP}
  --json            one JSON document: { "operation", "packages", "packageManager", "serverDir",
                    "orphanedInstances" }
  -h, --help        this help

Exit statuses: 0 removed, 1 configured instances use a package (give --force), 2 bad usage, unknown
connector or a package that is not installed, 3 the package manager failed.
`;

export const connectorsAdd: Command = defineCommand({
  path: ['connectors', 'add'],
  summary: 'install connector packages next to the server',
  help: ADD_HELP,
  json: true,
  flags: { 'server-dir': { type: 'string' }, home: { type: 'string' }, instance: { type: 'string' } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: 'at least one connector or package name' },
  run: add,
});

export const connectorsRemove: Command = defineCommand({
  path: ['connectors', 'remove'],
  summary: 'remove connector packages from the server installation',
  help: REMOVE_HELP,
  json: true,
  flags: { 'server-dir': { type: 'string' }, home: { type: 'string' }, force: { type: 'boolean' } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: 'at least one connector or package name' },
  run: remove,
});

async function add({ positionals, strings, json }: Parsed, io: CommandIo): Promise<number> {
  const serverDir = await installation(strings['server-dir'], io, 'installed');
  const home = resolveHome(strings.home, io.env, io.cwd);
  const configured = await readConfiguredOrFail(home);
  const instance = strings.instance;
  if (instance !== undefined) checkNewInstance(instance, positionals, configured);

  const lookup = async (connector: string) =>
    searchConnectors(await resolveRegistry(undefined, io), { term: connector, signal: io.signal });
  const targets = await resolveAddTargets(positionals, serverDir, io.cwd, lookup);
  const manager = await runManager(
    'add',
    targets.map((target) => target.spec),
    serverDir,
    io,
    json,
  );
  const packages = targets.map((target) => target.package);
  const paint = painter(io.stdout, io.env);
  const out: string[] = [
    `${paint('green', `Installed ${packages.join(', ')}`)} with ${manager} in ${serverDir}.`,
  ];

  let list = configured.connectors;
  let listProblems: readonly LoadProblem[] = [];
  if (instance !== undefined) {
    const [target] = targets as [AddTarget];
    const entry = instance === target.connector ? target.connector : `${instance}:${target.connector}`;
    const wanted = [configured.connectors ?? '', entry].filter((part) => part.trim() !== '').join(',');
    try {
      ({ list, problems: listProblems } = await setStoredConnectors({
        home,
        list: wanted,
        from: serverDir,
        env: io.env,
      }));
    } catch (error) {
      if (!ServerError.is(error) && !CliError.is(error)) throw error;
      const problems = ServerError.is(error) ? error.problems : [];
      throw new CliError(
        CliError.is(error) ? error.exit : EXIT.PROBLEMS,
        error.code,
        `${packages.join(', ')} ${packages.length === 1 ? 'is' : 'are'} installed, but instance "${instance}" was not added to the connector list in ${home}: ${problems.length > 0 ? `\n${formatProblems(problems)}` : error.message}`,
      );
    }
    out.push(`Added instance "${instance}" to the connector list in ${home}: ${list}`);
  }

  const needed = await neededParameters(targets, list, configured, serverDir);
  for (const problem of listProblems.filter((item) => item.key === undefined)) {
    out.push(paint('yellow', problem.message));
  }
  for (const [who, keys] of Object.entries(needed)) {
    out.push(
      keys.length === 0
        ? `${who}: no parameters needed.`
        : `${who} needs: ${keys.join(', ')} (set on the configuration page).`,
    );
  }
  if (instance === undefined && !targets.some((target) => configured.byConnector.has(target.connector))) {
    const example = targets[0]?.connector ?? 'cloudstack';
    out.push(
      `No configured instance uses ${targets.length === 1 ? 'it' : 'them'} yet: add one with --instance NAME, or on the configuration page (e.g. "${example}" in the connector list).`,
    );
  }
  out.push(`Restart the server to load ${packages.length === 1 ? 'it' : 'them'}.`);
  if (json) {
    writeJson(io, {
      operation: 'add',
      packages,
      packageManager: manager,
      serverDir,
      instance: instance ?? null,
      connectors: list ?? null,
      parametersNeeded: needed,
      restartRequired: true,
    });
  } else {
    io.stdout.write(`${out.join('\n')}\n`);
  }
  return EXIT.OK;
}

async function remove({ positionals, strings, booleans, json }: Parsed, io: CommandIo): Promise<number> {
  const serverDir = await installation(strings['server-dir'], io, 'removed');
  const home = resolveHome(strings.home, io.env, io.cwd);
  const packages = resolveRemovePackages(positionals, serverDir);
  checkInstalled(packages, serverDir);
  const configured = await readConfiguredOrFail(home);
  const orphaned = orphanedInstances(packages, serverDir, configured);
  const described = Object.entries(orphaned)
    .map(
      ([pkg, instances]) => `${pkg} (instance${instances.length === 1 ? '' : 's'} ${instances.join(', ')})`,
    )
    .join('; ');
  if (described !== '' && !booleans.force) {
    throw new CliError(
      EXIT.PROBLEMS,
      'IN_USE',
      `configured instances use what would be removed: ${described}, in the connector list in ${home}. They would not load at the next start. Remove them from the connector list first, or give --force to remove anyway. Nothing was removed.`,
    );
  }
  const manager = await runManager('remove', packages, serverDir, io, json);
  if (json) {
    writeJson(io, {
      operation: 'remove',
      packages,
      packageManager: manager,
      serverDir,
      orphanedInstances: orphaned,
      restartRequired: true,
    });
    return EXIT.OK;
  }
  const paint = painter(io.stdout, io.env);
  io.stdout.write(
    `${paint('green', `Removed ${packages.join(', ')}`)} with ${manager} in ${serverDir}.\n` +
      (described === ''
        ? ''
        : `${paint('yellow', `These configured instances will not load until their package is installed again or they leave the connector list: ${described}.`)}\n`) +
      `Restart the server to unload ${packages.length === 1 ? 'it' : 'them'}.\n`,
  );
  return EXIT.OK;
}

async function installation(flag: string | undefined, io: CommandIo, done: string): Promise<string> {
  const serverDir = await resolveServerDir(flag, io.cwd);
  // Without a package.json, npm and pnpm walk up to the nearest project and would change that one.
  if (!existsSync(join(serverDir, 'package.json'))) {
    throw CliError.usage(
      `${serverDir} has no package.json, so it is not a server installation and nothing was ${done}. Give the directory @slipstream/server is installed in with --server-dir, or run the command there.`,
    );
  }
  return serverDir;
}

function checkNewInstance(
  instance: string,
  positionals: readonly string[],
  configured: ConfiguredInstances,
): void {
  if (positionals.length !== 1) {
    throw CliError.usage(
      `--instance names one instance, so give one connector with it; got ${positionals.length}. Add the others with separate commands.`,
    );
  }
  if (!isValidName(instance)) {
    throw CliError.usage(
      `--instance "${instance}" is not a valid instance name: use lowercase letters, digits and single hyphens between them (kebab-case), e.g. "cloud-2".`,
    );
  }
  if (!configured.found) {
    throw CliError.usage(
      `--instance: there is no stored configuration in ${configured.home}, so there is no connector list to add "${instance}" to. Start the server once (it creates the store there), or give the server's data directory with --home or SLIPSTREAM_HOME. Nothing was installed.`,
    );
  }
  const taken = inspectConnectorList(configured.connectors).entries.find(
    (entry) => entry.instance === instance,
  );
  if (taken !== undefined) {
    throw CliError.usage(
      `--instance: the connector list in ${configured.home} already has an instance "${instance}" (of ${taken.connector}); choose another name. Nothing was installed.`,
    );
  }
}

/** Removing a package the server installation does not depend on would "succeed" doing nothing. */
function checkInstalled(packages: readonly string[], serverDir: string): void {
  const manifest = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const direct = new Set(
    ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((field) => {
      const deps = manifest[field];
      return typeof deps === 'object' && deps !== null ? Object.keys(deps) : [];
    }),
  );
  const missing = packages.filter((pkg) => !direct.has(pkg));
  if (missing.length === 0) return;
  const installed = listInstalledConnectorPackages(serverDir);
  const elsewhere = installed.filter((entry) => missing.includes(entry.package));
  const present = installed.filter((entry) => direct.has(entry.package)).map((entry) => entry.package);
  throw new CliError(
    EXIT.USAGE,
    'NOT_INSTALLED',
    `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed in ${serverDir} (not in its package.json); nothing was removed.` +
      elsewhere
        .map(
          (entry) =>
            ` ${entry.package} is installed in ${entry.dir}, outside it: remove it where it was installed.`,
        )
        .join('') +
      ` Installed connector packages: ${present.length > 0 ? present.join(', ') : 'none'}.`,
  );
}

/**
 * The configured instances each package's removal leaves without a connector: those of its
 * connector, unless another installed package still implements it.
 */
function orphanedInstances(
  packages: readonly string[],
  serverDir: string,
  configured: ConfiguredInstances,
): Record<string, string[]> {
  const remaining = listInstalledConnectorPackages(serverDir).filter(
    (entry) => !packages.includes(entry.package),
  );
  const orphaned: Record<string, string[]> = {};
  for (const pkg of packages) {
    const connector = connectorNameOf(pkg);
    if (connector === undefined || remaining.some((entry) => entry.connector === connector)) continue;
    const instances = configured.byConnector.get(connector) ?? [];
    if (instances.length > 0) orphaned[pkg] = [...instances];
  }
  return orphaned;
}

/** Per instance of the added connectors (or per connector, when none is configured): the parameters still needed. */
async function neededParameters(
  targets: readonly AddTarget[],
  list: string | undefined,
  configured: ConfiguredInstances,
  serverDir: string,
): Promise<Record<string, string[]>> {
  const entries = inspectConnectorList(list).entries;
  const needed: Record<string, string[]> = {};
  for (const target of targets) {
    const instances = entries.filter((entry) => entry.connector === target.connector);
    if (instances.length === 0) {
      const keys = await parametersNeeded(target.connector, serverDir);
      if (keys !== undefined) needed[`a new ${target.connector} instance`] = keys;
      continue;
    }
    for (const entry of instances) {
      const keys = await parametersNeeded(
        target.connector,
        serverDir,
        configured.storedKeys.get(entry.instance),
      );
      if (keys !== undefined) needed[`instance "${entry.instance}"`] = keys;
    }
  }
  return needed;
}

/** Runs the package manager; on failure nothing is changed (its own transaction), and we say so. */
async function runManager(
  operation: Operation,
  specs: readonly string[],
  serverDir: string,
  io: CommandIo,
  json: boolean,
): Promise<string> {
  const manager = detectPackageManager(serverDir);
  const args = packageManagerArgs(manager.name, operation, specs, serverDir);
  const commandLine = `${manager.name} ${args.join(' ')}`;
  const progress = json
    ? undefined
    : startProgress(
        io,
        `${operation === 'add' ? 'Installing' : 'Removing'} ${specs.join(', ')} (${commandLine} in ${serverDir})`,
      );
  const result = await runPackageManager(manager.name, args, {
    cwd: serverDir,
    env: io.env,
    signal: io.signal,
  });
  progress?.stop();
  if (io.signal.aborted)
    throw new CliError(EXIT.INTERRUPTED, 'INTERRUPTED', `Interrupted while running ${commandLine}.`);
  if (result.status !== 0) {
    const summary = result.spawnError ?? errorSummary(result.output);
    throw new CliError(
      EXIT.EXTERNAL,
      'PACKAGE_MANAGER_FAILED',
      `${commandLine} failed in ${serverDir}${result.spawnError ? '' : ` (exit status ${result.status})`}; nothing was changed:\n${summary}`,
    );
  }
  return manager.name;
}
