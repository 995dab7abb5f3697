/**
 * `@slipstream/server`: the SlipStream server. Work in progress (issue 5): the settings reader, the
 * boot sequence, the store, the security building blocks and the first slice of the REST API
 * (login, tokens, users, health, connectors, configuration, credentials, clouds, VMs with records
 * and boot-time reconciliation, OpenAPI) are here; the pages and the start command come next. The
 * package is private until then.
 */

export { startupBanner } from './banner.js';
export { type BootedServer, type BootOptions, bootServer, STORE_FILE } from './boot/boot.js';
export { openParameters, parameterAad, storeParameters } from './boot/instance-values.js';
export { FIRST_ADMIN } from './boot/seed.js';
export {
  type AppOptions,
  BODY_LIMIT,
  createApp,
  createServerLogger,
  SESSION_TTL_MS,
  type ServerLoggerOptions,
} from './http/app.js';
export {
  assertCsrfToken,
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfCheck,
  csrfTokenMatches,
  generateCsrfToken,
  requiresCsrfToken,
} from './security/csrf.js';
export {
  constantTimeEqual,
  generatePassword,
  generateToken,
  hashToken,
  isTokenFormat,
  TOKEN_PREFIX,
} from './security/generated.js';
export { hashPassword, MAX_PASSWORD_BYTES, needsRehash, verifyPassword } from './security/passwords.js';
export {
  LoginRateLimiter,
  type LoginRateLimiterOptions,
  loginKey,
  type RateLimitDecision,
} from './security/rate-limit.js';
export { REDACT_PATHS, REDACTION_MAX_DEPTH, SECRET_FIELD_NAMES } from './security/redaction.js';
export { SecretBox } from './security/secret-box.js';
export {
  decodeSecretKey,
  type LoadedSecretKey,
  type LoadSecretKeyOptions,
  loadSecretKey,
  SECRET_KEY_ENV,
  SECRET_KEY_FILE,
} from './security/secret-key.js';
export {
  DEFAULT_CONNECTORS,
  type InitialConfiguration,
  LOG_LEVELS,
  type LogLevel,
  readServerSettings,
  type ServerSettings,
  type SettingsSources,
} from './settings.js';
export { type RunningServer, type StartOptions, startServer } from './start.js';
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite.js';
export type * from './store/types.js';
export { ROLES, VM_RECORD_STATES } from './store/types.js';
export { type ReconcileReport, reconcile } from './vms/reconcile.js';
