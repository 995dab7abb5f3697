import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { formatProblems, inspectConnectorList, type Problem } from '@slipstream/connector-core';
import { ServerError } from './errors.js';
import { DATABASE_URL_ENV, databaseLocation } from './store/postgres.js';
import { type CallDeadlines, DEFAULT_DEADLINES } from './vms/deadlines.js';

/**
 * How the server is started: where it keeps its data, where it listens, and — on the first start
 * only — the configuration it seeds its store with. After the first start the store is the source
 * of the configuration and the configuration page edits it; these settings are read at every boot.
 */

export interface InitialConfiguration {
  /** The "SlipStream Basics" section: `connectors` and other server settings, as text. */
  readonly basics: Readonly<Record<string, string>>;
  /** Per connector instance, its raw parameter values. */
  readonly instances: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ServerSettings {
  /** Absolute path of the server's home directory (store, secret key). */
  readonly home: string;
  readonly host: string;
  readonly port: number;
  /** Refuse to start when any configured connector instance fails to load. */
  readonly strict: boolean;
  /** The first administrator's password, when given; otherwise one is generated and printed once. */
  readonly adminPassword: string | undefined;
  /** The pino log level (SLIPSTREAM_LOG_LEVEL), `info` by default. */
  readonly logLevel: LogLevel;
  /**
   * How log lines are written (SLIPSTREAM_LOG_FORMAT): readable lines for a person at a terminal,
   * JSON lines for a log collector. `auto` (the default) picks `pretty` when stdout is a terminal.
   */
  readonly logFormat?: LogFormat | undefined;
  /**
   * The first-start variables that were set (SLIPSTREAM_CONNECTORS, SLIPSTREAM_CONFIG,
   * SLIPSTREAM_ADMIN_PASSWORD): on later starts the store wins, and the boot says so when they differ.
   */
  readonly firstStartVariables?: readonly FirstStartVariable[] | undefined;
  /**
   * Most connector instances a list may have (SLIPSTREAM_MAX_INSTANCES), {@link MAX_INSTANCES} by
   * default: a list of thousands would make every boot and every VM listing call them all.
   */
  readonly maxInstances?: number | undefined;
  /** Deadlines of the cloud calls made for requests; DEFAULT_DEADLINES unless set. */
  readonly deadlines?: CallDeadlines | undefined;
  /**
   * How often launches left `launching` (a lost answer) are settled again, in milliseconds
   * (SLIPSTREAM_RECONCILE_INTERVAL_MS); {@link RECONCILE_INTERVAL_MS} by default.
   */
  readonly reconcileIntervalMs?: number | undefined;
  /**
   * The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed
   * (SLIPSTREAM_TRUST_PROXY): addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`.
   * Behind a proxy, login limits then count each client's address and the session cookie is Secure
   * when the client used HTTPS; without it every client is the proxy's address.
   */
  readonly trustProxy?: readonly string[] | undefined;
  /**
   * The PostgreSQL database several replicas share (SLIPSTREAM_DATABASE_URL,
   * `postgres://USER:PASSWORD@HOST:PORT/DATABASE`); the SQLite file in `home` when unset.
   */
  readonly databaseUrl?: string | undefined;
  /**
   * How long a replica's lease on a launch it runs lasts, in milliseconds
   * (SLIPSTREAM_LAUNCH_LEASE_MS): renewed while the launch runs, and once it expires another replica
   * finishes the launch. {@link LAUNCH_LEASE_MS} by default.
   */
  readonly launchLeaseMs?: number | undefined;
  /** What the first start seeds the store with. */
  readonly initial: InitialConfiguration;
}

export interface SettingsSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly argv: readonly string[];
  /** Relative paths (SLIPSTREAM_HOME, SLIPSTREAM_CONFIG) resolve against it. */
  readonly cwd: string;
  /** Whether stdout is a terminal, for SLIPSTREAM_LOG_FORMAT=auto; false by default. */
  readonly terminal?: boolean | undefined;
  /** Reads the configuration file; the file system by default. */
  readonly readFile?: ((path: string) => string) | undefined;
}

/** The connector list of a server configured with nothing: the in-process cloud, no account needed. */
export const DEFAULT_CONNECTORS = 'local';

/** How often, by default, the reconciler settles launches whose answer was lost. */
export const RECONCILE_INTERVAL_MS = 60_000;

/** A launch lease's length by default: long enough to ride out a slow renewal, short enough to take over soon. */
export const LAUNCH_LEASE_MS = 30_000;

/** The default most connector instances a list may have. */
export const MAX_INSTANCES = 200;

/** The problem of a connector list with more instances than `max` allows; undefined when within it. */
export function instanceCountProblem(list: string, max: number, key: string): Problem | undefined {
  const count = inspectConnectorList(list).entries.length;
  if (count <= max) return undefined;
  return {
    key,
    message: `The connector list has ${count} instances; this server takes at most ${max} (SLIPSTREAM_MAX_INSTANCES). Remove instances, or raise the limit.`,
  };
}

const FLAGS = ['--strict'] as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = Exclude<(typeof LOG_FORMATS)[number], 'auto'>;
export type FirstStartVariable = 'SLIPSTREAM_CONNECTORS' | 'SLIPSTREAM_CONFIG' | 'SLIPSTREAM_ADMIN_PASSWORD';
const FILE_KEYS = ['basics', 'instances'] as const;

/**
 * Reads the settings from the environment, the command line and the optional configuration file
 * (`SLIPSTREAM_CONFIG`), reporting every problem at once as CONFIG_INVALID.
 */
export function readServerSettings(sources: SettingsSources): ServerSettings {
  const { env, argv, cwd } = sources;
  const problems: Problem[] = [];
  const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));

  for (const arg of argv) {
    if (!(FLAGS as readonly string[]).includes(arg)) {
      problems.push({
        text: arg,
        message: `Unknown option "${arg}"; the server accepts ${FLAGS.join(', ')}.`,
      });
    }
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = parsePort(env.PORT, problems);
  const strict =
    argv.includes('--strict') || parseBoolean('SLIPSTREAM_STRICT', env.SLIPSTREAM_STRICT, problems);
  const adminPassword = env.SLIPSTREAM_ADMIN_PASSWORD === '' ? undefined : env.SLIPSTREAM_ADMIN_PASSWORD;
  const logLevel = parseLogLevel(env.SLIPSTREAM_LOG_LEVEL, problems);
  const trustProxy = parseTrustProxy(env.SLIPSTREAM_TRUST_PROXY, problems);
  const logFormat = parseLogFormat(env.SLIPSTREAM_LOG_FORMAT, sources.terminal === true, problems);
  const firstStartVariables = (
    ['SLIPSTREAM_CONNECTORS', 'SLIPSTREAM_CONFIG', 'SLIPSTREAM_ADMIN_PASSWORD'] as const
  ).filter((key) => (env[key]?.trim() ?? '') !== '');

  let file: InitialConfiguration = { basics: {}, instances: {} };
  const configPath = env.SLIPSTREAM_CONFIG?.trim();
  if (configPath) {
    file = readConfigurationFile(absolute(configPath), sources.readFile ?? defaultRead, problems);
  }
  const connectors = env.SLIPSTREAM_CONNECTORS ?? file.basics.connectors ?? DEFAULT_CONNECTORS;
  const maxInstances = parseCount(
    'SLIPSTREAM_MAX_INSTANCES',
    env.SLIPSTREAM_MAX_INSTANCES,
    MAX_INSTANCES,
    problems,
  );
  const deadlines: CallDeadlines = {
    listTimeoutMs: parseCount(
      'SLIPSTREAM_LIST_TIMEOUT_MS',
      env.SLIPSTREAM_LIST_TIMEOUT_MS,
      DEFAULT_DEADLINES.listTimeoutMs,
      problems,
    ),
    actionTimeoutMs: parseCount(
      'SLIPSTREAM_ACTION_TIMEOUT_MS',
      env.SLIPSTREAM_ACTION_TIMEOUT_MS,
      DEFAULT_DEADLINES.actionTimeoutMs,
      problems,
    ),
  };
  const reconcileIntervalMs = parseCount(
    'SLIPSTREAM_RECONCILE_INTERVAL_MS',
    env.SLIPSTREAM_RECONCILE_INTERVAL_MS,
    RECONCILE_INTERVAL_MS,
    problems,
  );
  const launchLeaseMs = parseCount(
    'SLIPSTREAM_LAUNCH_LEASE_MS',
    env.SLIPSTREAM_LAUNCH_LEASE_MS,
    LAUNCH_LEASE_MS,
    problems,
  );
  const databaseUrl = parseDatabaseUrl(env.SLIPSTREAM_DATABASE_URL, problems);
  const tooMany = instanceCountProblem(
    connectors,
    maxInstances,
    env.SLIPSTREAM_CONNECTORS === undefined ? 'basics.connectors' : 'SLIPSTREAM_CONNECTORS',
  );
  if (tooMany !== undefined) problems.push(tooMany);

  if (problems.length > 0) {
    throw new ServerError(
      'CONFIG_INVALID',
      `The server settings have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`,
      { problems },
    );
  }
  return {
    home: absolute(env.SLIPSTREAM_HOME?.trim() || '.slipstream'),
    host,
    port,
    strict,
    adminPassword,
    logLevel,
    logFormat,
    firstStartVariables,
    ...(trustProxy.length > 0 ? { trustProxy } : {}),
    maxInstances,
    deadlines,
    reconcileIntervalMs,
    launchLeaseMs,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    initial: { basics: { ...file.basics, connectors }, instances: file.instances },
  };
}

function parseDatabaseUrl(value: string | undefined, problems: Problem[]): string | undefined {
  const url = value?.trim();
  if (!url) return undefined;
  try {
    databaseLocation(url);
  } catch (error) {
    // The message never holds the value: it may hold the password.
    problems.push({ key: DATABASE_URL_ENV, message: (error as Error).message });
    return undefined;
  }
  return url;
}

function defaultRead(path: string): string {
  return readFileSync(path, 'utf8');
}

function parseCount(key: string, value: string | undefined, fallback: number, problems: Problem[]): number {
  if (value === undefined || value.trim() === '') return fallback;
  const text = value.trim();
  const count = /^\d{1,6}$/.test(text) ? Number(text) : 0;
  if (count < 1) {
    problems.push({ key, text, message: `${key} must be a whole number from 1 to 999999; got "${text}".` });
    return fallback;
  }
  return count;
}

function parsePort(value: string | undefined, problems: Problem[]): number {
  if (value === undefined || value.trim() === '') return 8080;
  const text = value.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    problems.push({
      key: 'PORT',
      text,
      message: `PORT must be a whole number from 0 to 65535; got "${text}".`,
    });
    return 8080;
  }
  return port;
}

function parseLogLevel(value: string | undefined, problems: Problem[]): LogLevel {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  problems.push({
    key: 'SLIPSTREAM_LOG_LEVEL',
    text: value?.trim() ?? '',
    message: `SLIPSTREAM_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${value?.trim()}".`,
  });
  return 'info';
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function parseTrustProxy(value: string | undefined, problems: Problem[]): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const validBits =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (PROXY_NAMES.includes(entry) || (family !== 0 && validBits && extra === undefined)) continue;
    problems.push({
      key: 'SLIPSTREAM_TRUST_PROXY',
      text: entry,
      message: `SLIPSTREAM_TRUST_PROXY: "${entry}" is not an address, a CIDR range (10.0.0.0/8) or one of ${PROXY_NAMES.join(', ')}; list the reverse proxies in front of the server, separated by commas.`,
    });
  }
  return entries;
}

function parseLogFormat(value: string | undefined, terminal: boolean, problems: Problem[]): LogFormat {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === 'pretty' || text === 'json') return text;
  if (text !== '' && text !== 'auto') {
    problems.push({
      key: 'SLIPSTREAM_LOG_FORMAT',
      text: value?.trim() ?? '',
      message: `SLIPSTREAM_LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}; got "${value?.trim()}".`,
    });
  }
  return terminal ? 'pretty' : 'json';
}

function parseBoolean(key: string, value: string | undefined, problems: Problem[]): boolean {
  if (value === undefined || value.trim() === '') return false;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  problems.push({ key, text: value, message: `${key} must be true or false; got "${value}".` });
  return false;
}

/**
 * The configuration file: `{ "basics": { "connectors": "..." }, "instances": { "<name>": { ... } } }`.
 * Basics values are text (numbers and booleans are accepted and turned into text); instance
 * parameters stay as given, for core to validate against each connector's specs.
 */
function readConfigurationFile(
  path: string,
  read: (path: string) => string,
  problems: Problem[],
): InitialConfiguration {
  const empty: InitialConfiguration = { basics: {}, instances: {} };
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'it does not exist' : `it cannot be read (${code ?? 'error'})`;
    problems.push({
      key: 'SLIPSTREAM_CONFIG',
      text: path,
      message: `SLIPSTREAM_CONFIG names ${path}, but ${why}.`,
    });
    return empty;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push({
      key: 'SLIPSTREAM_CONFIG',
      text: path,
      message: `${path} is not valid JSON (${(error as Error).message}); fix the file or unset SLIPSTREAM_CONFIG.`,
    });
    return empty;
  }
  if (!isRecord(parsed)) {
    problems.push({ text: path, message: `${path} must hold a JSON object with "basics" and "instances".` });
    return empty;
  }
  for (const key of Object.keys(parsed)) {
    if (!(FILE_KEYS as readonly string[]).includes(key)) {
      problems.push({
        text: key,
        message: `${path}: unknown key "${key}"; the file may hold ${FILE_KEYS.join(' and ')}.`,
      });
    }
  }
  const basics: Record<string, string> = {};
  if (parsed.basics !== undefined) {
    if (!isRecord(parsed.basics)) {
      problems.push({ key: 'basics', message: `${path}: "basics" must be an object of settings.` });
    } else {
      for (const [key, value] of Object.entries(parsed.basics)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          basics[key] = String(value);
        } else {
          problems.push({ key, message: `${path}: basics.${key} must be text, a number or true/false.` });
        }
      }
    }
  }
  const instances: Record<string, Record<string, unknown>> = {};
  if (parsed.instances !== undefined) {
    if (!isRecord(parsed.instances)) {
      problems.push({
        key: 'instances',
        message: `${path}: "instances" must map instance names to parameters.`,
      });
    } else {
      for (const [name, parameters] of Object.entries(parsed.instances)) {
        if (isRecord(parameters)) instances[name] = { ...parameters };
        else
          problems.push({
            instance: name,
            message: `${path}: instances.${name} must be an object of parameters.`,
          });
      }
    }
  }
  return { basics, instances };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
