/**
 * `slipstream demo`: simulated clouds and a SlipStream server on 127.0.0.1, set up through the
 * REST API as a user would, with one VM running on every instance — a working installation to
 * open in a browser, without a cloud account. Everything it starts is stopped when it ends.
 */

import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConnectorError } from '@slipstream/connector-core';
import {
  createServerLogger,
  type InitialConfiguration,
  type RunningServer,
  readServerSettings,
  ServerError,
  startServer,
} from '@slipstream/server';
import { type Command, type CommandIo, EXIT, type ExitStatus } from '../command.js';
import { type ApiConnectorInstance, ApiSession, DemoFailure, health } from './demo-api.js';
import { Cleanup } from './demo-cleanup.js';
import {
  DEMO_CONNECTORS,
  type DemoInstance,
  type DemoTiming,
  importSimulators,
  type SimulatorsModule,
  startDemoClouds,
} from './demo-clouds.js';
import { createStateDisplay, useColour } from './demo-display.js';
import { launchAndWatch, type RunningVm } from './demo-vms.js';

/** The demo user's login name. */
export const DEMO_USER = 'demo';
const DEFAULT_PORT = 8080;

/** Knobs for tests (fast clouds, a private temp directory, a fake simulator package). */
export interface DemoOptions {
  readonly timing?: Partial<DemoTiming> | undefined;
  /** How often the VM list is read while the VMs start; 500 ms by default. */
  readonly pollIntervalMs?: number | undefined;
  /** How long the VMs may take to run; 120 s by default. */
  readonly timeoutMs?: number | undefined;
  /** Where the server's temporary home is made; the system's temp directory by default. */
  readonly tempRoot?: string | undefined;
  /** Where connector packages are installed; this package's location by default. */
  readonly from?: string | URL | undefined;
  readonly loadSimulators?: (() => Promise<SimulatorsModule>) | undefined;
}

const HELP = `Usage: slipstream demo [--port N] [--json]

Starts simulated clouds on 127.0.0.1 (CloudStack twice, Exoscale, OpenStack, Open Telekom Cloud)
and a SlipStream server configured with "${DEMO_CONNECTORS}".
Through the server's REST API it creates the user "${DEMO_USER}" with a generated password, saves
their credentials on every instance and launches one VM on each, showing the VMs' states as they
change until all run. Then it prints the address and the logins and keeps everything running for
the browser until Ctrl+C. The server's data lives in a temporary directory removed at exit.

Flags:
  --port N     the server's port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --json       print one JSON summary when ready: url, users, instances with their VMs
  -h, --help   show this help

Environment:
  SLIPSTREAM_LOG_LEVEL   the server's log level, on stderr (default warn)
  NO_COLOR               no colours, even on a terminal

Exit statuses:
  0    stopped with Ctrl+C after the demo was ready
  2    bad usage: an unknown flag, a malformed --port, an argument
  3    something failed (the port is in use, a simulator, connector or VM failed); everything
       the demo had started is stopped
  130  interrupted with Ctrl+C before the demo was ready
`;

interface DemoArgs {
  readonly port: number;
  readonly json: boolean;
  readonly help: boolean;
}

export function createDemoCommand(options: DemoOptions = {}): Command {
  return {
    path: ['demo'],
    summary: 'simulated clouds and a server with a VM on every instance, until Ctrl+C',
    help: HELP,
    run: (args, io) => runDemo(args, io, options),
  };
}

export const demoCommand: Command = createDemoCommand();

async function runDemo(args: readonly string[], io: CommandIo, options: DemoOptions): Promise<number> {
  let parsed: DemoArgs;
  try {
    parsed = parseDemoArgs(args);
  } catch (error) {
    return fail(io, args.includes('--json'), error as DemoFailure);
  }
  if (parsed.help) {
    io.stdout.write(HELP);
    return EXIT.OK;
  }
  // One signal for the many concurrent requests; aborted by Ctrl+C or when a step fails.
  const controller = new AbortController();
  setMaxListeners(100, controller.signal);
  const onAbort = (): void => controller.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  if (io.signal.aborted) controller.abort();

  const cleanup = new Cleanup();
  let status: number = EXIT.OK;
  try {
    const ready = await setUp(parsed, io, options, cleanup, controller.signal);
    if (parsed.json) io.stdout.write(`${JSON.stringify(ready.summary, null, 2)}\n`);
    else io.stdout.write(readyText(ready));
    await untilAborted(io.signal);
    if (!parsed.json) io.stdout.write('\nStopping the server and the simulated clouds…\n');
  } catch (error) {
    const failure = io.signal.aborted
      ? new DemoFailure(
          'Interrupted before the demo was ready; stopped what had started.',
          'INTERRUPTED',
          EXIT.INTERRUPTED,
        )
      : asFailure(error);
    status = fail(io, parsed.json, failure);
  } finally {
    controller.abort();
    io.signal.removeEventListener('abort', onAbort);
    const problems = await cleanup.run();
    for (const problem of problems) io.stderr.write(`slipstream demo: ${problem}\n`);
    if (problems.length > 0 && status === EXIT.OK) status = EXIT.EXTERNAL;
  }
  if (status === EXIT.OK && !parsed.json) io.stdout.write('Stopped.\n');
  return status;
}

function parseDemoArgs(args: readonly string[]): DemoArgs {
  let values: { port?: string | undefined; json?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { port: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const message = (error as Error).message;
    // Node names the offending word in quotes: 'now', '--bogus', or '--port <value>'.
    const flag = /'([^' ]+)/.exec(message)?.[1];
    const what =
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
        ? `"slipstream demo" takes no arguments${flag ? `; got "${flag}"` : ''}`
        : flag?.startsWith('-')
          ? message.includes('argument missing')
            ? `"${flag}" needs a value, e.g. --port 8081`
            : `unknown flag "${flag}" for "slipstream demo"`
          : message;
    throw new DemoFailure(`${what}. It accepts --port N, --json and --help.`, 'USAGE', EXIT.USAGE);
  }
  return { port: parsePort(values.port), json: values.json === true, help: values.help === true };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new DemoFailure(
      `--port must be a whole number from 0 to 65535 (0 picks a free port); got "${text}".`,
      'USAGE',
      EXIT.USAGE,
    );
  }
  return port;
}

interface Ready {
  readonly url: string;
  readonly adminPassword: string;
  readonly demoPassword: string;
  readonly summary: DemoSummary;
}

/** What `--json` prints once every VM runs. */
export interface DemoSummary {
  readonly url: string;
  readonly connectors: string;
  readonly users: readonly { readonly name: string; readonly role: string; readonly password: string }[];
  readonly instances: readonly {
    readonly name: string;
    readonly connector: string;
    readonly cloud: string;
    readonly package: string;
    readonly version: string;
    /** The simulator's API root; null for the local cloud, which runs inside the server. */
    readonly endpoint: string | null;
    readonly vm: {
      readonly id: string;
      readonly name: string;
      readonly state: string;
      readonly rawState: string;
      readonly publicIps: readonly string[];
      readonly privateIps: readonly string[];
    };
  }[];
}

async function setUp(
  args: DemoArgs,
  io: CommandIo,
  options: DemoOptions,
  cleanup: Cleanup,
  signal: AbortSignal,
): Promise<Ready> {
  const say = (line: string): void => {
    if (!args.json) io.stdout.write(`${line}\n`);
  };
  const checkpoint = (): void => {
    if (signal.aborted) throw new DemoFailure('Interrupted.', 'INTERRUPTED', EXIT.INTERRUPTED);
  };
  const timing: DemoTiming = {
    bootDelayMs: options.timing?.bootDelayMs ?? 3000,
    haltDelayMs: options.timing?.haltDelayMs ?? 1000,
    cloudPollMs: options.timing?.cloudPollMs ?? 250,
  };

  const home = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'slipstream-demo-'));
  cleanup.add('the temporary server home', () => rm(home, { recursive: true, force: true }));

  say('Starting the simulated clouds on 127.0.0.1');
  const simulators = await (options.loadSimulators ?? importSimulators)();
  const instances = await startDemoClouds(simulators, timing, (what, url, close) => {
    cleanup.add(`the ${what}`, close);
    say(`  ${what} at ${url}`);
  });
  checkpoint();

  say(`Starting the SlipStream server with "${DEMO_CONNECTORS}"`);
  const server = await startDemoServer(args.port, io, options, home, instances);
  cleanup.add('the server', () => server.close());
  checkpoint();
  const adminPassword = server.generatedAdminPassword;
  if (adminPassword === undefined) {
    throw new DemoFailure('The server did not create its administrator on its first start.', 'SERVER_ANSWER');
  }

  const loaded = (await health(server.url, signal)).instances;
  const expected = instances.map((instance) => instance.name);
  if (expected.some((name) => !loaded.includes(name))) {
    throw new DemoFailure(
      `The server loaded ${loaded.join(', ') || 'no instance'} instead of ${expected.join(', ')}.`,
      'CONNECTORS_MISSING',
    );
  }

  const admin = await ApiSession.login(server.url, 'admin', adminPassword, signal);
  // No password given: the server generates one and returns it once, as for any new user.
  const created = await admin.post<{ password?: string }>('/api/users', { name: DEMO_USER, role: 'user' });
  if (created.password === undefined) {
    throw new DemoFailure(`The server created "${DEMO_USER}" without returning a password.`, 'SERVER_ANSWER');
  }
  const demo = await ApiSession.login(server.url, DEMO_USER, created.password, signal);
  say(`Created the user "${DEMO_USER}"`);

  const connectors = (await demo.get<{ instances: ApiConnectorInstance[] }>('/api/connectors')).instances;
  const infoOf = (name: string): ApiConnectorInstance | undefined =>
    connectors.find((item) => item.name === name);
  const width = Math.max(...instances.map((instance) => instance.name.length));
  for (const instance of instances) {
    await demo.put(`/api/credentials/${encodeURIComponent(instance.name)}`, instance.credentials);
    const info = infoOf(instance.name);
    const loaded = info ? `  ${info.cloud} — ${info.package}@${info.version}` : '';
    say(`  credentials saved for ${instance.name.padEnd(width)}${loaded}`);
  }
  checkpoint();

  say(`Launching one VM on each of the ${instances.length} instances`);
  const tty = io.stdout.isTTY === true && !args.json;
  const display = createStateDisplay({
    write: (text) => {
      if (!args.json) io.stdout.write(text);
    },
    tty,
    colour: tty && useColour(io.stdout, io.env),
  });
  const running = await launchAndWatch(
    demo,
    instances.map((instance) => ({
      name: instance.name,
      cloud: infoOf(instance.name)?.cloud ?? instance.connector,
    })),
    display,
    { pollIntervalMs: options.pollIntervalMs ?? 500, timeoutMs: options.timeoutMs ?? 120_000, signal },
  );

  return {
    url: server.url,
    adminPassword,
    demoPassword: created.password,
    summary: summaryOf(server.url, created.password, adminPassword, instances, running, infoOf),
  };
}

/** The server on the demo's port with the demo's configuration as its first-start configuration. */
async function startDemoServer(
  port: number,
  io: CommandIo,
  options: DemoOptions,
  home: string,
  instances: readonly DemoInstance[],
): Promise<RunningServer> {
  const settings = readServerSettings({
    env: {
      SLIPSTREAM_HOME: home,
      HOST: '127.0.0.1',
      PORT: String(port),
      SLIPSTREAM_LOG_LEVEL: io.env.SLIPSTREAM_LOG_LEVEL ?? 'warn',
    },
    argv: [],
    cwd: home,
  });
  const initial: InitialConfiguration = {
    basics: { connectors: DEMO_CONNECTORS },
    instances: Object.fromEntries(instances.map((instance) => [instance.name, instance.parameters])),
  };
  try {
    return await startServer({
      // Strict: a demo with a connector missing is not the demo; say which and how to install it.
      settings: { ...settings, strict: true, initial },
      from: options.from ?? import.meta.url,
      logger: createServerLogger({ level: settings.logLevel, destination: io.stderr }),
      // The key file in the temporary home, never a SLIPSTREAM_SECRET_KEY meant for a real server.
      env: {},
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new DemoFailure(
        `Port ${port} on 127.0.0.1 is in use (another server, or a demo still running?). Stop it or choose another port with --port N (--port 0 picks a free one).`,
        'PORT_IN_USE',
      );
    }
    if (code === 'EACCES') {
      throw new DemoFailure(
        `Port ${port} on 127.0.0.1 may not be used by this user; choose a port above 1023 with --port N.`,
        'PORT_DENIED',
      );
    }
    if (ConnectorError.is(error) || ServerError.is(error)) {
      throw new DemoFailure(`The demo's server did not start: ${error.message}`, 'SERVER_FAILED');
    }
    throw error;
  }
}

function summaryOf(
  url: string,
  demoPassword: string,
  adminPassword: string,
  instances: readonly DemoInstance[],
  running: readonly RunningVm[],
  infoOf: (name: string) => ApiConnectorInstance | undefined,
): DemoSummary {
  return {
    url,
    connectors: DEMO_CONNECTORS,
    users: [
      { name: DEMO_USER, role: 'user', password: demoPassword },
      { name: 'admin', role: 'admin', password: adminPassword },
    ],
    instances: instances.map((instance) => {
      const info = infoOf(instance.name);
      const vm = running.find((item) => item.instance === instance.name)?.vm;
      return {
        name: instance.name,
        connector: instance.connector,
        cloud: info?.cloud ?? instance.connector,
        package: info?.package ?? '',
        version: info?.version ?? '',
        endpoint: instance.endpoint ?? null,
        vm: {
          id: vm?.vm?.id ?? '',
          name: vm?.name ?? '',
          state: vm?.vm?.state ?? '',
          rawState: vm?.vm?.rawState ?? '',
          publicIps: vm?.vm?.publicIps ?? [],
          privateIps: vm?.vm?.privateIps ?? [],
        },
      };
    }),
  };
}

function readyText(ready: Ready): string {
  const count = ready.summary.instances.length;
  return [
    '',
    `The demo is ready: ${count} VMs run on ${count} instances.`,
    '',
    `  Open ${ready.url}/vms and log in as`,
    `    ${DEMO_USER.padEnd(6)} password ${ready.demoPassword}   (a user with credentials and a VM on every instance)`,
    `    ${'admin'.padEnd(6)} password ${ready.adminPassword}   (the administrator: configuration, users)`,
    '',
    'The passwords are generated for this run only. Press Ctrl+C to stop the server and the clouds.',
    '',
  ].join('\n');
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function asFailure(error: unknown): DemoFailure {
  if (error instanceof DemoFailure) return error;
  if (ConnectorError.is(error) || ServerError.is(error)) return new DemoFailure(error.message, error.code);
  return new DemoFailure(
    `The demo failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    'DEMO_FAILED',
  );
}

/** Reports a failure (as JSON on stdout with --json) and returns its exit status. */
function fail(io: CommandIo, json: boolean, failure: DemoFailure): ExitStatus {
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ error: { code: failure.code, message: failure.message } }, null, 2)}\n`,
    );
  } else {
    io.stderr.write(`slipstream demo: ${failure.message}\n`);
  }
  return failure.status;
}
