/**
 * `@slipstream/server` as a library: what the README's "As a library" section shows — read the
 * settings, start and stop the server, its logger and banner, and open its store to read the
 * saved configuration, change it and reset a password without a running server (as the `slipstream`
 * command does). Everything else is internal.
 */

export {
  type ConfigurationChange,
  type ConfigurationChangeResult,
  changeStoredConfiguration,
  type ResetPasswordOptions,
  type ResetPasswordResult,
  resetPassword,
  type ServerHomeOptions,
  setStoredConnectors,
} from './admin/offline.js';
export { startupBanner } from './banner.js';
export { openServerStore, STORE_FILE } from './boot/boot.js';
export { SERVER_ERROR_CODES, ServerError, type ServerErrorCode, type ServerErrorOptions } from './errors.js';
export { createServerLogger, type ServerLoggerOptions } from './logging.js';
export { CSRF_HEADER } from './security/csrf.js';
export {
  type FirstStartVariable,
  type InitialConfiguration,
  type LogFormat,
  type LogLevel,
  readServerSettings,
  type ServerSettings,
  type SettingsSources,
} from './settings.js';
export { type RunningServer, type StartOptions, startServer } from './start.js';
export { DATABASE_URL_ENV, openPostgresStore, type PostgresStoreOptions } from './store/postgres.js';
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite.js';
export type * from './store/types.js';
