import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '@slipstream/test-processes';
import {
  type CreatedProjectAndUser,
  type EndpointsSpec,
  KeystoneAdmin,
  type ProjectAndUserSpec,
  type RegisteredService,
} from './admin.js';
import { keystonePaths } from './config.js';
import { type IssuedToken, type KeystoneCredentials, requestToken } from './identity-api.js';
import { ensureKeystoneInstalled } from './install.js';
import { tail } from './run.js';
import { BOOTSTRAP_ADMIN, prepareKeystone } from './setup.js';
import { startUwsgi, type UwsgiProcess } from './uwsgi.js';

export interface StartKeystoneOptions {
  /** Region of the bootstrap endpoints and the default for registerEndpoints; default RegionOne. */
  readonly region?: string | undefined;
  /** The bootstrap admin's password; random by default. */
  readonly adminPassword?: string | undefined;
  /** [token] expiration in seconds; Keystone's default (3600) when unset. */
  readonly tokenExpirationSeconds?: number | undefined;
  /** Install missing packages with apt-get (default true); false makes a missing install "unavailable". */
  readonly install?: boolean | undefined;
  /** How long the web app may take to answer GET /v3; default 120 s (a loaded machine is slow). */
  readonly startTimeoutMs?: number | undefined;
  /** Progress lines; silent by default. */
  readonly log?: ((line: string) => void) | undefined;
}

export interface RunningKeystone {
  /** The identity v3 root, `http://127.0.0.1:PORT/v3`, as clients take it for their auth URL. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  /** The bootstrap admin (user and project "admin" in domain "Default"). */
  readonly admin: KeystoneCredentials;
  /** A project-scoped token of the bootstrap admin, issued at start (valid for the token lifetime). */
  readonly adminToken: string;
  /** The temporary directory with keystone.conf, the database, keys and logs; removed by close(). */
  readonly dir: string;
  /** Process group of uWSGI (master and worker). */
  readonly pid: number;
  /** Password authentication with a project scope, as any client does it. */
  issueToken(credentials: KeystoneCredentials): Promise<IssuedToken>;
  /** Creates a project and a user with a role on it (and the domain when missing). */
  createProjectAndUser(spec: ProjectAndUserSpec): Promise<CreatedProjectAndUser>;
  /** Registers compute and image services with endpoints, e.g. pointing at the OpenStack simulator. */
  registerEndpoints(spec: EndpointsSpec): Promise<RegisteredService[]>;
  /** The tails of uWSGI's and Keystone's logs, for a failing test's message. */
  logs(): Promise<string>;
  /** Stops uWSGI's process group and removes the directory. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a real Keystone (Debian's `keystone` package) on a free 127.0.0.1 port, everything in a
 * new temporary directory: installs the packages on a machine's first run, prepares the database
 * and keys, bootstraps the admin, serves the public WSGI app with uWSGI, waits for GET /v3 and
 * issues the admin token. Throws KeystoneUnavailableError where the packages are missing and
 * cannot be installed (not root, no apt-get).
 */
export async function startKeystone(options: StartKeystoneOptions = {}): Promise<RunningKeystone> {
  const region = options.region ?? 'RegionOne';
  const log = options.log ?? (() => {});
  await ensureKeystoneInstalled({ install: options.install, log });
  const paths = keystonePaths(await mkdtemp(join(tmpdir(), 'slipstream-keystone-')));
  const admin: KeystoneCredentials = {
    ...BOOTSTRAP_ADMIN,
    password: options.adminPassword ?? randomBytes(18).toString('base64url'),
  };
  let uwsgi: UwsgiProcess | undefined;
  const readLogs = async (): Promise<string> => {
    const parts: string[] = [];
    for (const [name, file] of [
      ['uwsgi.log', paths.uwsgiLog],
      ['keystone.log', paths.keystoneLog],
    ] as const) {
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text) parts.push(`--- ${name} (last lines)\n${tail(text, 20)}`);
    }
    return parts.join('\n');
  };
  // A test process that ends without close() leaves no directory (uWSGI has its own exit hook).
  const removeOnExit = (): void => rmSync(paths.dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  const cleanUp = async (): Promise<void> => {
    await uwsgi?.stop();
    await rm(paths.dir, { recursive: true, force: true });
    process.removeListener('exit', removeOnExit);
  };
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/v3`;
    log(`preparing Keystone in ${paths.dir}`);
    await prepareKeystone(
      paths,
      { url, region, adminPassword: admin.password },
      { tokenExpirationSeconds: options.tokenExpirationSeconds },
    );
    log(`starting uWSGI on 127.0.0.1:${port}`);
    uwsgi = startUwsgi(paths, port);
    await waitUntilServing(url, uwsgi, options.startTimeoutMs ?? 120_000, readLogs);
    const adminToken = (await requestToken(url, admin)).token;
    const administration = new KeystoneAdmin(url, admin, region, adminToken);
    const running = uwsgi;
    let closed: Promise<void> | undefined;
    log(`Keystone is serving ${url}`);
    return {
      url,
      port,
      region,
      admin,
      adminToken,
      dir: paths.dir,
      pid: running.pid,
      issueToken: (credentials) => requestToken(url, credentials),
      createProjectAndUser: (spec) => administration.createProjectAndUser(spec),
      registerEndpoints: (spec) => administration.registerEndpoints(spec),
      logs: readLogs,
      close: () => {
        closed ??= cleanUp();
        return closed;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Polls GET /v3 until Keystone answers 200; fails early, with the logs, when uWSGI exits. */
async function waitUntilServing(
  url: string,
  uwsgi: UwsgiProcess,
  timeoutMs: number,
  readLogs: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!uwsgi.running()) {
      throw new Error(`uWSGI ${await uwsgi.exited} before Keystone served ${url}.\n${await readLogs()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(200);
  }
  throw new Error(
    `Keystone did not serve ${url} within ${timeoutMs} ms (last: ${last}).\n${await readLogs()}`,
  );
}
