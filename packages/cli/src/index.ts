/**
 * `@slipstream/cli`: the `slipstream` command. Its commands are exported for reuse (another tool
 * may dispatch them with its own CommandIo).
 */

export { type Command, type CommandIo, EXIT, type ExitStatus } from './command.js';
export {
  COMMANDS,
  configCheck,
  connectorsAdd,
  connectorsList,
  connectorsRemove,
  connectorsSearch,
  createDemoCommand,
  demoCommand,
  server,
} from './commands/index.js';
export { type CommandSpec, defineCommand, type FlagSpec, type Parsed } from './define.js';
export { runCli, topHelp } from './dispatch.js';
export { CliError } from './errors.js';
export { type Progress, startProgress } from './output.js';
export { detectPackageManager, type PackageManager, type PackageManagerName } from './package-manager.js';
export { DEFAULT_REGISTRY, resolveRegistry } from './registry/resolve.js';
export { type FoundConnector, type SearchOptions, searchConnectors } from './registry/search.js';
