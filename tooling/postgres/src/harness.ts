import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '@slipstream/test-processes';
import pg from 'pg';
import { ensurePostgresInstalled, type PostgresInstall } from './install.js';
import { commandAs, type PostmasterProcess, type RunAs, spawnPostmaster } from './postmaster.js';
import { run, tail } from './run.js';

/** The superuser initdb creates, and the name of the default database. */
export const SUPERUSER = 'slipstream';

export interface StartPostgresOptions {
  /** Install a missing server with apt-get (default true); false makes a missing server "unavailable". */
  readonly install?: boolean | undefined;
  /** The superuser's password; random by default. */
  readonly password?: string | undefined;
  /**
   * max_connections; default 300. Tests run several server processes, each with a pool of its own,
   * against one cluster, and PostgreSQL's default of 100 runs out.
   */
  readonly maxConnections?: number | undefined;
  /** How long the server may take to accept connections; default 120 s (a loaded machine is slow). */
  readonly startTimeoutMs?: number | undefined;
  /** Progress lines; silent by default. */
  readonly log?: ((line: string) => void) | undefined;
}

export interface RunningPostgres {
  /** `postgres://slipstream:PASSWORD@127.0.0.1:PORT/slipstream`, the superuser on the default database. */
  readonly url: string;
  readonly port: number;
  /** The superuser (`slipstream`) and its password. */
  readonly user: string;
  readonly password: string;
  /** The server's major version (15 on Debian 12). */
  readonly major: number;
  /** The temporary directory: data directory `data`, the log `postgres.log`, the Unix socket. */
  readonly dir: string;
  /** The postmaster's pid, also its process group's; a new one after start(). */
  readonly pid: number;
  /** Creates a database (owned by the superuser) and returns its URL; tests take one each. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: clients are disconnected) and keeps its data: "the database went away". */
  stop(): Promise<void>;
  /** Starts a stopped server again, on the same port with the same data. */
  start(): Promise<void>;
  /** The tail of the server's log, for a failing test's message. */
  logs(): Promise<string>;
  /** Stops the server and removes the directory. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a real PostgreSQL (Debian's `postgresql` package) on a free 127.0.0.1 port, everything in
 * a new temporary directory: installs the package on a machine's first run, creates a cluster with
 * initdb (superuser `slipstream`, SCRAM passwords), starts the postmaster, waits until it accepts
 * connections and creates the database `slipstream`. Throws PostgresUnavailableError where the
 * package is missing and cannot be installed (not root, no apt-get).
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const install = await ensurePostgresInstalled({ install: options.install, log });
  const password = options.password ?? randomBytes(18).toString('base64url');
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const dir = await mkdtemp(join(tmpdir(), 'slipstream-postgres-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  let runAs: RunAs = { user: undefined, uid: undefined, gid: undefined };
  let postmaster: PostmasterProcess | undefined;
  let port = 0;

  const readLogs = async (): Promise<string> => {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    return text ? `--- postgres.log (last lines)\n${tail(text, 30)}` : '(postgres.log is empty)';
  };
  const urlFor = (database: string): string =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const launch = async (): Promise<void> => {
    postmaster = spawnPostmaster({ bin: install.bin, dataDir, port, logFile, runAs });
    await waitUntilAccepting(urlFor('postgres'), postmaster, startTimeoutMs, readLogs);
  };

  // A test process that ends without close() leaves no server and no directory. 'exit' hooks
  // cannot await, so the server gets an immediate shutdown (see PostmasterProcess.stopNow).
  const onExit = (): void => {
    postmaster?.stopNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const cleanUp = async (): Promise<void> => {
    await postmaster?.stop();
    await rm(dir, { recursive: true, force: true });
    process.removeListener('exit', onExit);
  };

  try {
    runAs = await unprivilegedUser();
    if (runAs.uid !== undefined && runAs.gid !== undefined) await chown(dir, runAs.uid, runAs.gid);
    log(
      `creating a PostgreSQL ${install.major} cluster in ${dataDir}${runAs.user ? ` as ${runAs.user}` : ''}`,
    );
    await initdb(install, dir, dataDir, password, runAs);
    await appendFile(join(dataDir, 'postgresql.conf'), serverSettings(dir, options));
    // The port is free when freePort asks, but another process may take it before the postmaster
    // binds it; then it exits at once saying so, and a new port is worth a second try.
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      log(`starting postgres on 127.0.0.1:${port}`);
      try {
        await launch();
        break;
      } catch (error) {
        const lostPort = !postmaster?.running() && /Address already in use/.test(await readLogs());
        if (!lostPort || attempt >= 3) throw error;
      }
    }
    await withClient(urlFor('postgres'), (client) => client.query(`CREATE DATABASE ${SUPERUSER}`));
  } catch (error) {
    await cleanUp();
    throw error;
  }

  let closed: Promise<void> | undefined;
  log(`PostgreSQL is accepting connections on ${urlFor(SUPERUSER).replace(password, '***')}`);
  return {
    url: urlFor(SUPERUSER),
    port,
    user: SUPERUSER,
    password,
    major: install.major,
    dir,
    get pid() {
      return postmaster?.pid ?? 0;
    },
    async createDatabase(name: string): Promise<string> {
      await withClient(urlFor(SUPERUSER), (client) =>
        client.query(`CREATE DATABASE ${quoteIdentifier(name)}`),
      );
      return urlFor(name);
    },
    async stop(): Promise<void> {
      await postmaster?.stop();
    },
    async start(): Promise<void> {
      if (closed) throw new Error('This PostgreSQL was closed; start another with startPostgres().');
      if (postmaster?.running()) return;
      await launch();
    },
    logs: readLogs,
    close: () => {
      closed ??= cleanUp();
      return closed;
    },
  };
}

/**
 * The settings appended to the cluster's postgresql.conf. TCP on 127.0.0.1 only, and the Unix socket
 * in our directory, so nothing touches /var/run/postgresql (where a packaged cluster lives).
 * fsync, synchronous_commit and full_page_writes are off: a test cluster is thrown away after the
 * run and never has to survive an operating-system crash, and commits then do not wait for the
 * disk, which on a busy CI machine is the slowest part.
 */
export function serverSettings(
  dir: string,
  options: Pick<StartPostgresOptions, 'maxConnections'> = {},
): string {
  return `
# Added by @slipstream/postgres-harness.
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir.replaceAll("'", "''")}'
max_connections = ${options.maxConnections ?? 300}
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
`;
}

/** `"name"`, with double quotes doubled, for CREATE DATABASE. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Root runs the server as Debian's `postgres` user, whom the package creates, because initdb and
 * postgres refuse to run as root; anyone else runs it as themselves.
 */
async function unprivilegedUser(): Promise<RunAs> {
  if (process.geteuid?.() !== 0) return { user: undefined, uid: undefined, gid: undefined };
  const { stdout } = await run('getent', ['passwd', 'postgres']).catch(() => {
    throw new Error(
      'initdb and postgres refuse to run as root, and there is no "postgres" user to run them as (Debian\'s postgresql package creates one).',
    );
  });
  const [, , uid, gid] = stdout.trim().split(':');
  return { user: 'postgres', uid: Number(uid), gid: Number(gid) };
}

/**
 * initdb with SCRAM authentication for every connection (local ones too) and the password from a
 * file, which is removed afterwards (on the command line `ps` would show it). C.UTF-8 sorts by code
 * point on every machine; where that locale is missing, --no-locale (C) does the same. --no-sync:
 * the cluster is thrown away, nothing has to reach the disk.
 */
async function initdb(
  install: PostgresInstall,
  dir: string,
  dataDir: string,
  password: string,
  runAs: RunAs,
): Promise<void> {
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) await chown(passwordFile, runAs.uid, runAs.gid);
  await chmod(passwordFile, 0o600);
  const common = [
    '-D',
    dataDir,
    '--auth=scram-sha-256',
    `--username=${SUPERUSER}`,
    `--pwfile=${passwordFile}`,
    '--encoding=UTF8',
    '--no-sync',
  ];
  const initdbPath = join(install.bin, 'initdb');
  try {
    try {
      await run(...commandAs(runAs, initdbPath, [...common, '--locale=C.UTF-8']), { cwd: dir });
    } catch (error) {
      // initdb removes a data directory it created when it fails, so a second run starts clean.
      await rm(dataDir, { recursive: true, force: true });
      await run(...commandAs(runAs, initdbPath, [...common, '--no-locale']), { cwd: dir }).catch(
        (second: unknown) => {
          throw new Error(
            `initdb failed with --locale=C.UTF-8 and with --no-locale.\n${(error as Error).message}`,
            {
              cause: second,
            },
          );
        },
      );
    }
  } finally {
    await unlink(passwordFile).catch(() => {});
  }
}

/** Connects with a client of its own, runs `use`, and ends the client whatever happens. */
async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A server going away mid-query emits 'error' on the client; without a listener it would crash the test process.
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Polls with a real connection and `SELECT 1` until the server answers (it refuses connections,
 * then says "the database system is starting up"); fails early, with the log, when the postmaster exits.
 */
async function waitUntilAccepting(
  url: string,
  postmaster: PostmasterProcess,
  timeoutMs: number,
  readLogs: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!postmaster.running()) {
      throw new Error(
        `postgres ${await postmaster.exited} before it accepted connections.\n${await readLogs()}`,
      );
    }
    try {
      await withClient(url, (client) => client.query('SELECT 1'));
      return;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(100);
  }
  throw new Error(
    `PostgreSQL did not accept connections within ${timeoutMs} ms (last: ${last}).\n${await readLogs()}`,
  );
}
