import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningSimulator } from '@slipstream/cloud-simulators';
import {
  CLOUDSTACK_API_PATH,
  CLOUDSTACK_CATALOG,
  startCloudStack,
} from '@slipstream/cloud-simulators/cloudstack';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from './boot/boot.js';
import { openSqliteStore } from './store/sqlite.js';
import { type ServerProcess, spawnServer } from './testing/server-process.js';

/** The built server run as an operator runs it: `slipstream-server` with settings in the environment. */

const ADMIN_PASSWORD = 'Cli-Admin-Pa55word';
const homes: string[] = [];
const running: ServerProcess[] = [];

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'slipstream-cli-'));
  homes.push(home);
  return home;
}

function start(env: Record<string, string>, args: string[] = []): ServerProcess {
  const server = spawnServer({ env, args });
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop('SIGKILL')));
});
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

type Headers = Record<string, string>;

async function login(url: string, username: string, password: string): Promise<Headers> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

async function call(url: string, method: string, path: string, headers: Headers, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('slipstream-server', () => {
  it('prints the URL and a generated admin password once, serves, and stops cleanly on SIGTERM', async () => {
    const home = newHome();
    const first = start({ SLIPSTREAM_HOME: home });
    const url = await first.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const password = /as "admin" with the password\n\s+(\S+)\n/.exec(first.stdout())?.[1] ?? '';
    expect(password).toMatch(/^[a-z0-9-]{20,}$/);
    // Printed for the operator, never logged: the JSON log lines do not carry it.
    const logLines = first
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(2);
    expect(logLines.join('\n')).not.toContain(password);

    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toEqual({
      status: 'ok',
      store: { kind: 'sqlite', location: join(home, STORE_FILE), reachable: true },
      instances: ['local'],
      problems: [],
      restartRequired: false,
    });
    await login(url, 'admin', password);
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = start({ SLIPSTREAM_HOME: home });
    const again = await second.ready;
    expect(second.stdout()).not.toContain(password);
    expect(second.stdout()).toContain(`Log in at ${again}/login`);
    await login(again, 'admin', password);
  });

  it('writes readable log lines when asked (as on a terminal): no JSON, one "listening", no line per request', async () => {
    const server = start({ SLIPSTREAM_HOME: newHome(), SLIPSTREAM_LOG_FORMAT: 'pretty' });
    const url = await server.ready;
    for (let i = 0; i < 3; i++) await fetch(`${url}/api/health`);
    await fetch(`${url}/api/vms`);
    expect(await server.stop('SIGTERM')).toBe(0);
    const out = server.stdout();
    expect(out.split('\n').filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(out).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: first start: stored the initial configuration$/m);
    expect(out.match(/listening/g)).toHaveLength(1);
    expect(out).not.toMatch(/incoming request|request completed|request refused/);
    expect(out).toMatch(/INFO: stopping/);
  });

  it('refuses bad settings with every problem and exit status 1', async () => {
    const server = start({ SLIPSTREAM_HOME: newHome(), PORT: 'eighty', SLIPSTREAM_STRICT: 'maybe' }, [
      '--strickt',
    ]);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('Unknown option "--strickt"');
    expect(server.stderr()).toContain('PORT must be a whole number from 0 to 65535; got "eighty".');
    expect(server.stderr()).toContain('SLIPSTREAM_STRICT must be true or false; got "maybe".');
    expect(server.stdout()).not.toContain('listening');
  });

  it('refuses a first start whose list has a problem, storing nothing', async () => {
    const home = newHome();
    const refused = start({ SLIPSTREAM_HOME: home, SLIPSTREAM_CONNECTORS: 'local,lab2:locall' });
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toContain('First start refused');
    expect(refused.stderr()).toContain('did you mean "local"?');
    expect(refused.stdout()).not.toContain('listening');
    // Nothing was stored: the corrected variable makes the first start.
    const corrected = start({ SLIPSTREAM_HOME: home, SLIPSTREAM_CONNECTORS: 'local,lab2:local' });
    await corrected.ready;
    expect(corrected.stdout()).toContain('connector instances: local, lab2');
  });

  it('starts with the instances that load, naming the installation to install into; --strict refuses to start', async () => {
    const home = newHome();
    const seeded = start({ SLIPSTREAM_HOME: home });
    await seeded.ready;
    expect(await seeded.stop('SIGTERM')).toBe(0);
    // A connector whose package is not installed next to the server (as after a package's removal).
    const store = await openSqliteStore({ file: join(home, STORE_FILE) });
    await store.replaceConfiguration({
      basics: { connectors: 'local,lab2:vcloud', settings: {} },
      instances: {},
    });
    await store.close();

    const lenient = start({ SLIPSTREAM_HOME: home });
    const url = await lenient.ready;
    expect(lenient.stdout()).toContain('connector instances: local');
    // The server package's directory, which holds its node_modules: not its dist.
    const installation = fileURLToPath(new URL('../', import.meta.url)).replace(/\/$/, '');
    expect(lenient.stdout()).toMatch(/1 loading problem.*\n.*"vcloud"/);
    expect(lenient.stdout()).toContain(`\` in ${installation}, then restart the server.`);
    const health = (await (await fetch(`${url}/api/health`)).json()) as {
      status: string;
      problems: { message: string }[];
    };
    expect(health.status).toBe('degraded');
    expect(health.problems).toHaveLength(1);
    expect(health.problems[0]?.message).toContain(`\` in ${installation}, then restart the server.`);
    expect(health.problems[0]?.message).not.toContain(join(installation, 'dist'));
    expect(await lenient.stop()).toBe(0);

    const strict = start({ SLIPSTREAM_HOME: home }, ['--strict']);
    expect(await strict.exited).toBe(1);
    expect(strict.stderr()).toMatch(/Strict mode: the server does not start/);
    expect(strict.stderr()).toContain('"vcloud"');
    expect(strict.stderr()).toContain('slipstream config set');
  });

  it('says what to do when the port is taken', async () => {
    const home = newHome();
    const first = start({ SLIPSTREAM_HOME: home });
    const port = new URL(await first.ready).port;
    const second = start({ SLIPSTREAM_HOME: newHome(), PORT: port });
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain('set PORT to a free one');
  });
});

describe('a server killed in the middle of a launch', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('reconciles at the next start: the record gets the VM the cloud made, and no second VM', async () => {
    const home = newHome();
    const config = join(home, 'first-start.json');
    writeFileSync(
      config,
      JSON.stringify({ instances: { cloudstack: { endpoint: `${sim.url}${CLOUDSTACK_API_PATH}` } } }),
    );
    const env = {
      SLIPSTREAM_HOME: home,
      SLIPSTREAM_CONNECTORS: 'cloudstack',
      SLIPSTREAM_CONFIG: config,
      SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // The next start finishes the launch once the dead process's lease on it expires.
      SLIPSTREAM_LAUNCH_LEASE_MS: '3000',
    };
    const first = start(env);
    const url = await first.ready;
    const admin = await login(url, 'admin', ADMIN_PASSWORD);
    const created = await call(url, 'POST', '/api/users', admin, { name: 'alice', role: 'user' });
    const alicePassword = String(created.body.password);
    const alice = await login(url, 'alice', alicePassword);
    const saved = await call(url, 'PUT', '/api/credentials/cloudstack', alice, sim.credentials);
    expect(saved.status).toBe(200);

    // The cloud is slow to answer the deploy: the server dies while it waits.
    let deploying = false;
    sim.control.addLatency(1500, {
      match: (request) => {
        deploying ||= request.operation === 'deployVirtualMachine';
        return request.operation === 'deployVirtualMachine';
      },
    });
    const image = CLOUDSTACK_CATALOG.images[0]?.id ?? '';
    const size = CLOUDSTACK_CATALOG.sizes[0]?.id ?? '';
    const zone = CLOUDSTACK_CATALOG.zones[0]?.id ?? '';
    const launch = call(url, 'POST', '/api/clouds/cloudstack/vms', alice, {
      name: 'web-1',
      image,
      size,
      zone,
      idempotencyKey: 'deploy-web-1',
    }).catch((error: unknown) => error);
    await expect.poll(() => deploying, { timeout: 10_000 }).toBe(true);
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    expect(await launch).toBeInstanceOf(Error);
    // The cloud finishes the deploy it was asked for, with nobody left to hear the answer.
    const accountId = sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '';
    await expect.poll(() => sim.control.cloud.vms(accountId).length, { timeout: 10_000 }).toBe(1);

    const second = start(env);
    const restarted = await second.ready;
    const aliceAgain = await login(restarted, 'alice', alicePassword);
    await expect
      .poll(
        async () => {
          const listed = await call(restarted, 'GET', '/api/vms', aliceAgain);
          return (listed.body.vms as { recordState: string; idempotencyKey: string }[]).map((vm) => [
            vm.idempotencyKey,
            vm.recordState,
          ]);
        },
        { timeout: 30_000 },
      )
      .toEqual([['deploy-web-1', 'launched']]);
    expect(sim.control.cloud.vms(accountId)).toHaveLength(1);
    expect(sim.control.count('deployVirtualMachine')).toBe(1);
  }, 120_000);
});
