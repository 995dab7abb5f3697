/**
 * `create-slipstream-connector`: scaffolds a SlipStream connector package. The bin is what
 * `pnpm create slipstream-connector <name>` runs; the same work is available as an API.
 */
export { ScaffoldError, type ScaffoldErrorCode } from './errors.js';
export type { ScaffoldOptions } from './options.js';
export { type CliIo, EXIT, type ExitStatus, HELP, runCli } from './run.js';
export { type ScaffoldResult, scaffoldConnector } from './scaffold.js';
export type { SlipstreamVersions } from './versions.js';
