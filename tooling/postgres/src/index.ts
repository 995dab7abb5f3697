export { isPostgresUnavailable, PostgresUnavailableError } from './errors.js';
export {
  quoteIdentifier,
  type RunningPostgres,
  type StartPostgresOptions,
  SUPERUSER,
  serverSettings,
  startPostgres,
} from './harness.js';
export {
  type EnsureInstalledOptions,
  ensurePostgresInstalled,
  findPostgres,
  INSTALL_SCRIPT,
  type InstallHost,
  POSTGRES_LIB_DIR,
  type PostgresInstall,
  postgresUnavailableReason,
} from './install.js';
