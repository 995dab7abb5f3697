import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandEnv } from './environment.js';
import { killGroup, redactor, tail } from './run.js';
import type { Uplink } from './uplink.js';

/**
 * A throwaway Verdaccio 6.8 on 127.0.0.1: our packages (`@slipstream/*`, `slipstream-connector-*`,
 * `create-slipstream-connector`) are served and published only here, never looked up upstream;
 * everything else (fastify, better-sqlite3, ...) is proxied to `uplink` and cached in the
 * temporary storage. One user is registered at start; its token publishes.
 */

export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The publishing user's token. Never print it: pass it to `run` as a secret. */
  readonly token: string;
  /** An npm user configuration file with the registry and the token, for publishing. */
  readonly npmrc: string;
  /** Everything Verdaccio printed so far, the token redacted. */
  output(): string;
  /** Kills Verdaccio's process group and removes its directory. */
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** The registry third-party packages come from, reached as npm reaches it. */
  readonly uplink: Uplink;
  /** How long Verdaccio may take to listen. */
  readonly startTimeoutMs?: number | undefined;
}

/** The packages that exist only in the local registry: a proxy would look them up on npmjs.org. */
export const LOCAL_PACKAGES = ['@slipstream/*', 'slipstream-connector-*', 'create-slipstream-connector'];

const USER = 'release-test';
const LISTENING = /^VERDACCIO_LISTENING (\d+)$/m;

// Runs in the child: Verdaccio's own server factory, listening on a port the kernel picks, so two
// runs never race for one. The first argument is Verdaccio's entry point, the second the config.
const BOOTSTRAP = `
const { runServer } = require(process.argv[1]);
runServer(process.argv[2]).then(
  (server) => server.listen(0, '127.0.0.1', () => {
    process.stdout.write('VERDACCIO_LISTENING ' + server.address().port + '\\n');
  }),
  (error) => { console.error(error); process.exit(1); },
);
`;

export async function startRegistry(options: RegistryOptions): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'slipstream-verdaccio-'));
  const config = join(dir, 'config.yaml');
  // JSON is YAML: no YAML writer needed.
  writeFileSync(config, JSON.stringify(verdaccioConfig(dir, options.uplink), null, 2));
  const entry = createRequire(import.meta.url).resolve('verdaccio');
  // Its own process group, so stopping it takes every process it started.
  const child = spawn(process.execPath, ['-e', BOOTSTRAP, entry, config], {
    cwd: dir,
    // Node trusts npm's CA file the way npm does (NODE_EXTRA_CA_CERTS adds to the built-in roots;
    // Verdaccio's own `ca` setting would replace them).
    env: commandEnv(
      options.uplink.cafile === undefined || process.env.NODE_EXTRA_CA_CERTS !== undefined
        ? {}
        : { NODE_EXTRA_CA_CERTS: options.uplink.cafile },
    ),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    printed += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    printed += chunk;
  });
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    await killGroup(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  let redact = redactor([]);
  try {
    const port = await waitForPort(() => printed, exited, options.startTimeoutMs ?? 60_000);
    const url = `http://127.0.0.1:${port}/`;
    const token = await addUser(url);
    redact = redactor([token]);
    const npmrc = join(dir, 'publish.npmrc');
    // The auth line is keyed by the registry without its scheme, as npm looks it up.
    writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 });
    return { url, token, npmrc, output: () => redact(printed), stop };
  } catch (error) {
    await stop();
    throw new Error(
      `Verdaccio did not start: ${error instanceof Error ? error.message : String(error)}\nIts output:\n${tail(printed)}`,
    );
  }
}

/** Verdaccio's configuration: offline storage in `dir`, our packages local only, the rest proxied. */
export function verdaccioConfig(dir: string, uplink: Uplink): Record<string, unknown> {
  const local = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
  const upstream = {
    url: uplink.url,
    timeout: '120s',
    max_fails: 5,
    cache: true,
    strict_ssl: uplink.strictSsl,
    ...(uplink.httpsProxy === undefined ? {} : { https_proxy: uplink.httpsProxy }),
    ...(uplink.httpProxy === undefined ? {} : { http_proxy: uplink.httpProxy }),
    ...(uplink.noProxy === undefined ? {} : { no_proxy: uplink.noProxy }),
  };
  return {
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 1 } },
    uplinks: { upstream },
    packages: {
      ...Object.fromEntries(LOCAL_PACKAGES.map((pattern) => [pattern, local])),
      // Nobody is in this group: a package that should have matched a local pattern cannot be
      // published by mistake and shadow (or be shadowed by) the upstream one.
      '**': { access: '$all', publish: 'nobody-publishes-upstream-packages', proxy: 'upstream' },
    },
    publish: { allow_offline: true },
    max_body_size: '100mb',
    web: { enable: false },
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
  };
}

function waitForPort(printed: () => string, exited: Promise<unknown[]>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`it did not listen within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const poll = setInterval(() => {
      const match = LISTENING.exec(printed());
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      clearInterval(poll);
      resolve(Number(match[1]));
    }, 50);
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`it exited (${String(code ?? signal)}) before listening`));
    });
  });
}

/**
 * `npm adduser` over the REST API: `PUT /-/user/org.couchdb.user:<name>` registers the user in the
 * htpasswd file and answers with a token.
 */
async function addUser(url: string): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  const response = await fetch(new URL(`-/user/org.couchdb.user:${USER}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      _id: `org.couchdb.user:${USER}`,
      name: USER,
      password,
      email: `${USER}@example.invalid`,
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown; error?: unknown };
  if (response.status !== 201 || typeof body.token !== 'string' || body.token === '') {
    throw new Error(
      `registering the user ${USER} answered ${response.status} ${String(body.error ?? '')}; expected 201 with a token`,
    );
  }
  return body.token;
}
