export { type AddressKind, AddressSorter, addressKind, isPrivateAddress } from './addresses.js';
export { type CatalogEntry, CONNECTOR_CATALOG, connectorNameOf, packageNamesFor } from './catalog.js';
export {
  type ConnectorListEntry,
  type ConnectorListInspection,
  type ConnectorListItem,
  formatConnectorList,
  inspectConnectorList,
  isValidName,
  NAME_PATTERN,
  parseConnectorList,
} from './connector-list.js';
export {
  type CallOptions,
  type Capabilities,
  CONTRACT_VERSION,
  type ConnectorDefinition,
  type ConnectorInstance,
  type DescribeQuery,
  type Image,
  type InstanceContext,
  type LaunchRequest,
  type Session,
  type Size,
  type Tags,
  type Vm,
  type Zone,
} from './contract.js';
export { checkDefinition } from './definition.js';
export {
  ConnectorError,
  type ConnectorErrorOptions,
  ERROR_CODES,
  type ErrorCode,
  formatProblems,
  isAbortError,
  isAmbiguousFailure,
  type Problem,
  throwIfAborted,
} from './errors.js';
export {
  createHttpTransport,
  type HttpDebugEvent,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type HttpTransportOptions,
  type OutgoingRequest,
  parseRetryAfter,
  type Signature,
} from './http.js';
export {
  errorCodeForStatus,
  HTTP_STATUS_MEANINGS,
  type StatusExceptions,
  type StatusMeaning,
  statusMeaning,
} from './http-status.js';
export {
  checkSameLaunch,
  isLaunchTag,
  LAUNCH_TAGS,
  type LaunchSteps,
  launchIdempotently,
  launchIndexOf,
  launchNames,
  launchTags,
  userTags,
} from './idempotent-launch.js';
export {
  type CreateInstanceOptions,
  createInstance,
  instanceParameterSpecs,
  type LoadedInstance,
} from './instance.js';
export {
  findInstanceType,
  type InstanceTypeSpec,
  instanceTypeSize,
  parseInstanceTypes,
} from './instance-types.js';
export { KeyedLock } from './keyed-lock.js';
export { checkIds, checkLaunchRequest } from './launch-request.js';
export { classifyLicense, type LicenseInfo } from './licenses.js';
export {
  type ConnectorRegistry,
  type InstanceInfo,
  type LoadOptions,
  type LoadProblem,
  loadConnectors,
} from './loader.js';
export { type Logger, silentLogger } from './logger.js';
export {
  findPackage,
  type InstalledConnectorPackage,
  type InstalledPackage,
  installCommand,
  listInstalledConnectorPackages,
  type PackageManifest,
  packageEntry,
  toSearchDirectory,
} from './packages.js';
export { optionalParameter, type ParameterTypes, readParameter } from './parameter-values.js';
export {
  COMMON_PARAMETERS,
  type CredentialSpec,
  type Credentials,
  FIELD_TYPES,
  type FieldSpec,
  type FieldType,
  type FieldValue,
  type FieldValues,
  isSecretField,
  type ParameterSpec,
  type ValidateOptions,
  type ValidationResult,
  validateFields,
} from './parameters.js';
export { type PollOptions, poll, sleep } from './poll.js';
export { type OwnerDeletions, RecentlyDeleted } from './recently-deleted.js';
export { REDACTED, redactHeaders, redactUrl, redactValues } from './redact.js';
export { sanitizeError } from './sanitize.js';
export { askTogether, raceSignal } from './signals.js';
export { isVmState, mapState, type StateTable, VM_STATES, type VmState } from './states.js';
export { didYouMean, editDistance } from './suggest.js';
export { type WaitOptions, waitFor } from './wait.js';
export { type ReadVmsOptions, readId, readVms, WireReader } from './wire.js';
export { findPnpmWorkspace, type PnpmWorkspace, pnpmWorkspaceAddArgs } from './workspace.js';
