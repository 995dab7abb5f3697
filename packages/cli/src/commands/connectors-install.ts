import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, type CommandIo, EXIT } from '../command.js';
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
import { resolvePackageNames } from '../package-names.js';
import { resolveServerDir } from '../server-dir.js';

const FLAGS_HELP = `Flags:
  --server-dir DIR  the server installation (default: where @slipstream/server resolves from the
                    current directory, else the current directory)
  --json            one JSON document: { "operation", "packages", "packageManager", "serverDir" }
  -h, --help        this help`;

export const ADD_HELP = `Usage: slipstream connectors add <name...> [--server-dir DIR] [--json]

Installs connector packages in the server's installation with the package manager it uses
(pnpm-lock.yaml: pnpm, yarn.lock: yarn, otherwise npm). A name is a connector name ("cloudstack"
installs @slipstream/connector-cloudstack) or a package name, optionally with a version
("slipstream-connector-acme@1.2.0"). Restart the server to load them.

${FLAGS_HELP}

Exit statuses: 0 installed, 2 bad usage or unknown connector, 3 the package manager failed (nothing
is left half-installed: the package manager rolls back).
`;

export const REMOVE_HELP = `Usage: slipstream connectors remove <name...> [--server-dir DIR] [--json]

Removes connector packages from the server's installation with the package manager it uses. A name
is a connector name ("cloudstack") or a package name. Restart the server to unload them.

${FLAGS_HELP}

Exit statuses: 0 removed, 2 bad usage or unknown connector, 3 the package manager failed.
`;

export const connectorsAdd: Command = defineCommand({
  path: ['connectors', 'add'],
  summary: 'install connector packages next to the server',
  help: ADD_HELP,
  json: true,
  flags: { 'server-dir': { type: 'string' } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: 'at least one connector or package name' },
  run: (parsed, io) => change('add', parsed, io),
});

export const connectorsRemove: Command = defineCommand({
  path: ['connectors', 'remove'],
  summary: 'remove connector packages from the server installation',
  help: REMOVE_HELP,
  json: true,
  flags: { 'server-dir': { type: 'string' } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: 'at least one connector or package name' },
  run: (parsed, io) => change('remove', parsed, io),
});

async function change(
  operation: Operation,
  { positionals, strings, json }: Parsed,
  io: CommandIo,
): Promise<number> {
  const serverDir = await resolveServerDir(strings['server-dir'], io.cwd);
  // Without a package.json, npm and pnpm walk up to the nearest project and would change that one.
  if (!existsSync(join(serverDir, 'package.json'))) {
    throw CliError.usage(
      `${serverDir} has no package.json, so it is not a server installation and nothing was ${operation === 'add' ? 'installed' : 'removed'}. Give the directory @slipstream/server is installed in with --server-dir, or run the command there.`,
    );
  }
  const packages = resolvePackageNames(positionals, operation, serverDir);
  const manager = detectPackageManager(serverDir);
  const args = packageManagerArgs(manager.name, operation, packages);
  const commandLine = `${manager.name} ${args.join(' ')}`;
  const progress = json
    ? undefined
    : startProgress(
        io,
        `${operation === 'add' ? 'Installing' : 'Removing'} ${packages.join(', ')} (${commandLine} in ${serverDir})`,
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
  const report = { operation, packages, packageManager: manager.name, serverDir, restartRequired: true };
  if (json) {
    writeJson(io, report);
    return EXIT.OK;
  }
  const paint = painter(io.stdout, io.env);
  const verb = operation === 'add' ? 'Installed' : 'Removed';
  io.stdout.write(
    `${paint('green', `${verb} ${packages.join(', ')}`)} with ${manager.name} in ${serverDir}.\n` +
      `Restart the server to ${operation === 'add' ? 'load' : 'unload'} ${packages.length === 1 ? 'it' : 'them'}.\n`,
  );
  return EXIT.OK;
}
