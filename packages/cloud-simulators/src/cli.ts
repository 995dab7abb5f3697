#!/usr/bin/env node
import { parseArgs, type SimCommand, usage } from './cli-args.js';
import { SIMULATORS } from './clouds.js';
import type { RunningSimulator } from './server/simulator.js';

/**
 * `slipstream-sim <cloud> [--port n]`: runs one simulator in the foreground until interrupted,
 * printing where it listens and the credentials it accepts.
 */
async function main(argv: readonly string[]): Promise<number> {
  const clouds = Object.keys(SIMULATORS);
  const parsed = parseArgs(argv, clouds);
  if (parsed.kind === 'help') {
    process.stdout.write(`${usage(clouds)}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(
      `${parsed.problems.map((p) => `slipstream-sim: ${p}`).join('\n')}\n\n${usage(clouds)}\n`,
    );
    return 2;
  }
  const simulator = await start(parsed.command);
  const { url, credentials } = simulator;
  const lines = [
    `${parsed.command.cloud} simulator listening on ${url}`,
    `  key:    ${credentials.key}`,
    `  secret: ${credentials.secret}`,
  ];
  // What some clouds add to the common handle: where clients authenticate, OTC's access key,
  // the region and account number (EC2), OpenNebula's XML-RPC endpoint, vCloud's org and VDC.
  const extras = simulator as RunningSimulator & Partial<Record<string, unknown>>;
  for (const [label, field] of EXTRA_FIELDS) {
    const value = extras[field];
    if (typeof value === 'string') lines.push(`  ${label} ${value}`);
  }
  if (parsed.command.seedVms > 0) lines.push(`  seeded ${parsed.command.seedVms} running VMs`);
  lines.push('Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await simulator.close();
  return 0;
}

const EXTRA_FIELDS = [
  ['auth URL:  ', 'authUrl'],
  ['access key:', 'accessKey'],
  ['secret key:', 'secretKey'],
  ['region:    ', 'region'],
  ['account id:', 'accountId'],
  ['XML-RPC:   ', 'rpcUrl'],
  ['org:       ', 'org'],
  ['VDC:       ', 'vdc'],
] as const;

async function start(command: SimCommand): Promise<RunningSimulator> {
  const startCloud = SIMULATORS[command.cloud] as NonNullable<(typeof SIMULATORS)[string]>;
  const simulator = await startCloud({
    port: command.port,
    host: command.host,
    accounts:
      command.key !== undefined && command.secret !== undefined
        ? [{ key: command.key, secret: command.secret, vmLimit: Math.max(20, command.seedVms) }]
        : undefined,
    bootDelayMs: command.bootDelayMs,
    haltDelayMs: command.haltDelayMs,
  });
  if (command.seedVms > 0) {
    const { cloud } = simulator.control;
    const account = cloud.accountByKey(simulator.credentials.key);
    const [zone, image, size] = [cloud.zones[0], cloud.images[0], cloud.sizes[0]];
    if (account && zone && image && size) {
      cloud.seedVms(account.id, command.seedVms, { zone: zone.id, image: image.id, size: size.id });
    }
  }
  return simulator;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A port in use is the usual failure: say which, not a stack trace.
    const code = (error as { code?: string }).code;
    const message =
      code === 'EADDRINUSE' ? 'that port is already in use; pick another with --port.' : String(error);
    process.stderr.write(`slipstream-sim: ${message}\n`);
    process.exitCode = 1;
  },
);
