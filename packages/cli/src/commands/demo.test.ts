import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandIo, EXIT } from '../command.js';
import { createDemoCommand, type DemoOptions, type DemoSummary } from './demo.js';
import { importSimulators, type SimulatorsModule } from './demo-clouds.js';

// Fast simulated clouds, so VMs run within a fraction of a second.
const FAST: DemoOptions = {
  timing: { bootDelayMs: 50, haltDelayMs: 50, cloudPollMs: 10 },
  pollIntervalMs: 20,
  timeoutMs: 30_000,
};
const INSTANCES = [
  'local',
  'aws',
  'cloudstack',
  'cloud2',
  'exoscale',
  'opennebula',
  'nuvlabox',
  'openstack',
  'otc',
  'vcloud',
];

interface Run {
  readonly io: CommandIo;
  readonly controller: AbortController;
  stdout(): string;
  stderr(): string;
}

function capture(env: Record<string, string | undefined> = {}): Run {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const controller = new AbortController();
  return {
    io: {
      stdout: sink((text) => {
        out += text;
      }),
      stderr: sink((text) => {
        err += text;
      }),
      env,
      cwd: process.cwd(),
      signal: controller.signal,
    },
    controller,
    stdout: () => out,
    stderr: () => err,
  };
}

/** Listening TCP servers of this process: every one the demo starts must be gone when it ends. */
function listeningServers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function logIn(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) });
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

// Every run hashes passwords with scrypt and starts nine simulators: generous on a loaded CI machine.
describe('slipstream demo', { timeout: 60_000 }, () => {
  let tempRoot: string;
  beforeAll(() => {
    tempRoot = mkdtempSync(join(tmpdir(), 'slipstream-demo-test-'));
  });
  afterAll(() => {
    rmSync(tempRoot, { recursive: true, force: true });
  });
  const command = (options: DemoOptions = {}): ReturnType<typeof createDemoCommand> =>
    createDemoCommand({ ...FAST, tempRoot, ...options });

  it('runs a VM on all ten instances, serves them to the demo user, and stops everything on Ctrl+C', async () => {
    // The simulators' secrets, recorded as they start: the demo must never print one.
    const real = await importSimulators();
    const secrets: string[] = [];
    const record = <T extends { credentials: { secret: string } }>(started: Promise<T>): Promise<T> =>
      started.then((simulator) => {
        secrets.push(simulator.credentials.secret);
        return simulator;
      });
    const recording: SimulatorsModule = {
      CLOUDSTACK_CATALOG: real.CLOUDSTACK_CATALOG,
      startEc2: (options) => record(real.startEc2(options)),
      startCloudStack: (options) => record(real.startCloudStack(options)),
      startExoscale: (options) => record(real.startExoscale(options)),
      startOpenNebula: (options) => record(real.startOpenNebula(options)),
      startOpenStack: (options) => record(real.startOpenStack(options)),
      startOtc: (options) =>
        record(real.startOtc(options)).then((otc) => {
          secrets.push(otc.secretKey);
          return otc;
        }),
      startVcloud: (options) => record(real.startVcloud(options)),
    };
    const before = listeningServers();
    const run = capture();
    const exited = command({ loadSimulators: async () => recording }).run(['--port', '0', '--json'], run.io);
    await waitFor(() => run.stdout().trimEnd().endsWith('}'), 'the JSON summary');
    const summary = JSON.parse(run.stdout()) as DemoSummary;

    expect(summary.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(summary.instances.map((instance) => instance.name)).toEqual(INSTANCES);
    for (const instance of summary.instances) {
      expect(instance.vm.state, instance.name).toBe('running');
      expect(instance.vm.id, instance.name).not.toBe('');
      expect(instance.package, instance.name).toBe(`@slipstream/connector-${instance.connector}`);
    }
    expect(summary.instances.find((instance) => instance.name === 'cloud2')?.connector).toBe('cloudstack');
    // Nine simulators, each on its own loopback port; the local cloud runs in the server.
    const endpoints = summary.instances.flatMap((instance) => (instance.endpoint ? [instance.endpoint] : []));
    expect(endpoints).toHaveLength(9);
    for (const endpoint of endpoints) expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(listeningServers() - before).toBe(10);

    const health = (await (await fetch(`${summary.url}/api/health`)).json()) as {
      status: string;
      instances: string[];
    };
    expect(health).toMatchObject({ status: 'ok', instances: INSTANCES });

    const demo = summary.users.find((user) => user.name === 'demo');
    expect(demo?.role).toBe('user');
    const cookie = await logIn(summary.url, 'demo', demo?.password ?? '');
    const listed = (await (await fetch(`${summary.url}/api/vms`, { headers: { cookie } })).json()) as {
      vms: { instance: string; owner: string; cloudId: string; vm?: { state: string } }[];
      errors: unknown[];
    };
    expect(listed.errors).toEqual([]);
    expect(listed.vms.map((vm) => vm.instance)).toEqual(INSTANCES);
    for (const vm of listed.vms) {
      expect(vm.owner).toBe('demo');
      expect(vm.vm?.state, vm.instance).toBe('running');
      expect(vm.cloudId).toBe(summary.instances.find((instance) => instance.name === vm.instance)?.vm.id);
    }
    // The administrator's login works too.
    await logIn(summary.url, 'admin', summary.users.find((user) => user.name === 'admin')?.password ?? '');

    run.controller.abort();
    expect(await exited).toBe(EXIT.OK);
    expect(secrets).toHaveLength(10);
    for (const secret of secrets) {
      expect(run.stdout()).not.toContain(secret);
      expect(run.stderr()).not.toContain(secret);
    }
    expect(listeningServers()).toBe(before);
    expect(await refused(`${summary.url}/api/health`)).toBe(true);
    for (const endpoint of endpoints) expect(await refused(endpoint), endpoint).toBe(true);
    // The server's temporary home is gone.
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('prints progress, one line per state change and the logins when not on a terminal', async () => {
    const run = capture();
    const exited = command().run(['--port', '0'], run.io);
    await waitFor(() => run.stdout().includes('Press Ctrl+C'), 'the ready message');
    const out = run.stdout();
    expect(out).toMatch(/CloudStack simulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/Open Telekom Cloud simulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain('Created the user "demo"');
    for (const instance of INSTANCES) {
      // Plain lines: each instance's state changes, the last one running with its VM id.
      expect(out).toMatch(new RegExp(`^ +[\\d.]+s  ${instance} +running  \\S+`, 'm'));
    }
    expect(out).not.toContain('\u001b[');
    const url = /Open (http:\/\/127\.0\.0\.1:\d+)\/vms/.exec(out)?.[1];
    const password = /^ +demo +password (\S+)/m.exec(out)?.[1];
    expect(url).toBeDefined();
    await logIn(url as string, 'demo', password as string);

    run.controller.abort();
    expect(await exited).toBe(EXIT.OK);
    expect(run.stdout()).toMatch(/Stopped\.\n$/);
    expect(await refused(url as string)).toBe(true);
  });

  it('says the port is in use and stops the simulators it had started', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const before = listeningServers();
    try {
      const run = capture();
      const status = await command().run(['--port', String(port)], run.io);
      expect(status).toBe(EXIT.EXTERNAL);
      expect(run.stderr()).toContain(`Port ${port} on 127.0.0.1 is in use`);
      expect(run.stderr()).toContain('--port');
      expect(listeningServers()).toBe(before);
      expect(readdirSync(tempRoot)).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('names a simulator that fails to start, as JSON with --json, and stops the others', async () => {
    const real = await importSimulators();
    const broken: SimulatorsModule = {
      ...real,
      CLOUDSTACK_CATALOG: real.CLOUDSTACK_CATALOG,
      startOpenStack: () => Promise.reject(new Error('listen EADDRNOTAVAIL')),
    };
    const before = listeningServers();
    const run = capture();
    const status = await command({ loadSimulators: async () => broken }).run(
      ['--port', '0', '--json'],
      run.io,
    );
    expect(status).toBe(EXIT.EXTERNAL);
    expect(JSON.parse(run.stdout())).toEqual({
      error: {
        code: 'SIMULATOR_FAILED',
        message: 'The OpenStack simulator did not start on 127.0.0.1: listen EADDRNOTAVAIL',
      },
    });
    expect(listeningServers()).toBe(before);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('refuses to run without the connector packages, naming them and how to install them', async () => {
    const before = listeningServers();
    const run = capture();
    // A directory with no node_modules: none of the connectors is installed there.
    const status = await command({ from: tempRoot }).run(['--port', '0'], run.io);
    expect(status).toBe(EXIT.EXTERNAL);
    expect(run.stderr()).toContain("The demo's server did not start");
    expect(run.stderr()).toContain('@slipstream/connector-cloudstack');
    expect(run.stderr()).toMatch(/install/);
    expect(listeningServers()).toBe(before);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('stops what it started and exits 130 when interrupted before it is ready', async () => {
    const before = listeningServers();
    const run = capture();
    const exited = command().run(['--port', '0'], run.io);
    await waitFor(() => run.stdout().includes('Starting the SlipStream server'), 'the server to start');
    run.controller.abort();
    expect(await exited).toBe(EXIT.INTERRUPTED);
    expect(run.stderr()).toContain('Interrupted before the demo was ready');
    expect(listeningServers()).toBe(before);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it.each([
    [['--bogus'], 'unknown flag "--bogus" for "slipstream demo". It accepts --port N, --json and --help.'],
    [['--port', 'http'], '--port must be a whole number from 0 to 65535'],
    [['--port', '70000'], 'got "70000"'],
    [['--port'], '"--port" needs a value'],
    [['now'], '"slipstream demo" takes no arguments; got "now"'],
  ])('refuses %j with a usage error and starts nothing', async (args, message) => {
    const before = listeningServers();
    const run = capture();
    expect(await command().run(args, run.io)).toBe(EXIT.USAGE);
    expect(run.stderr()).toContain(message);
    expect(listeningServers()).toBe(before);
  });

  it('prints its help with the exit statuses', async () => {
    const run = capture();
    expect(await command().run(['--help'], run.io)).toBe(EXIT.OK);
    expect(run.stdout()).toMatch(/^Usage: slipstream demo \[--port N\] \[--json\]/);
    expect(run.stdout()).toMatch(/130 +interrupted/);
  });
});
