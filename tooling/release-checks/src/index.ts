export {
  type AttwAnalysis,
  type AttwProblem,
  attwFailures,
  checkTypes,
  IGNORED_RESOLUTIONS,
} from './attw-check.js';
export {
  type Change,
  type ChangesetCheckResult,
  changeSinceRelease,
  changesetPackages,
  changesetStatus,
  checkChangesets,
  lastRelease,
  pendingChangesetPackages,
  type Release,
  statusBase,
} from './changesets.js';
export { type Failure, formatFailures } from './failure.js';
export { type ExpectedLicense, LICENSE_TABLE, PROPRIETARY_FIELD } from './licenses.js';
export {
  CORE_PACKAGE,
  type Core,
  checkPackedManifest,
  isConnectorPackage,
  type PackedPackage,
} from './manifest-checks.js';
export { checkPackage, checkPackages, type PackageChecksResult } from './package-checks.js';
export { type AllowedMessage, checkPublint, PUBLINT_ALLOWED } from './publint-check.js';
export { satisfies } from './semver.js';
export { readTarball, type TarballFiles } from './tarball.js';
export { publishablePackages, type WorkspacePackage } from './workspace.js';
