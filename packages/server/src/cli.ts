#!/usr/bin/env node

/**
 * `slipstream-server [--strict]` (`pnpm start` in the repository): boots the server in the
 * foreground until SIGINT or SIGTERM. Settings come from the environment (see the README); what an
 * administrator needs to get in — the URL and, on the first start, how to log in — is printed here,
 * outside the JSON log, and the generated password only this once.
 */

import { startupBanner } from './banner.js';
import { isKnownError } from './errors.js';
import { readServerSettings } from './settings.js';
import { type RunningServer, startServer } from './start.js';

const USAGE = `Usage: slipstream-server [--strict]

Starts the SlipStream server in the foreground; stop it with Ctrl+C.

  --strict                   refuse to start when a configured connector instance does not load

Environment:
  HOST, PORT                 where to listen (127.0.0.1, 8080; PORT=0 picks a free port)
  SLIPSTREAM_HOME            data directory: the store and the secret key (./.slipstream)
  SLIPSTREAM_CONNECTORS      first start only: the connector list (local)
  SLIPSTREAM_CONFIG          first start only: a JSON file { "basics": {...}, "instances": {...} }
  SLIPSTREAM_ADMIN_PASSWORD  first start only: the password of "admin" (generated and printed if unset)
  SLIPSTREAM_SECRET_KEY      the 32-byte encryption key, base64 (default: <home>/secret.key, created)
  SLIPSTREAM_STRICT          true: the same as --strict
  SLIPSTREAM_LOG_LEVEL       fatal, error, warn, info (default), debug, trace or silent
  SLIPSTREAM_LOG_FORMAT      pretty (readable lines), json, or auto (default: pretty on a terminal)
  SLIPSTREAM_TRUST_PROXY     reverse proxies to believe X-Forwarded-* from (addresses, CIDRs, loopback)
`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let running: RunningServer;
  try {
    const settings = readServerSettings({
      env: process.env,
      argv,
      cwd: process.cwd(),
      terminal: process.stdout.isTTY === true,
    });
    // The package's own location: connector packages are installed next to the server.
    running = await startServer({ settings, from: import.meta.url });
  } catch (error) {
    process.stderr.write(`slipstream-server: ${startFailure(error)}\n`);
    return 1;
  }
  // The handlers come before the banner: whoever reads the banner may stop the server at once, and
  // a signal that arrived before them would end the process without stopping it cleanly.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second Ctrl+C: the operator does not want to wait for in-flight requests.
        process.stderr.write(`slipstream-server: ${signal} again, exiting now\n`);
        resolve(130);
        return;
      }
      stopping = true;
      running.logger.info({ signal }, 'stopping');
      running.close().then(
        () => resolve(0),
        (error: unknown) => {
          process.stderr.write(`slipstream-server: stopping failed: ${String(error)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write(startupBanner(running));
  return stopped;
}

/** What went wrong at startup, said so the operator knows what to change. */
function startFailure(error: unknown): string {
  if (isKnownError(error)) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return `${(error as Error).message}: another program uses that port; set PORT to a free one (PORT=0 picks one).`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `${(error as Error).message}: HOST is not an address of this machine; set HOST to one (127.0.0.1, 0.0.0.0).`;
  }
  if (code === 'EACCES') {
    return `${(error as Error).message}: not allowed; use a port above 1023 or check the permissions of SLIPSTREAM_HOME.`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`slipstream-server: ${startFailure(error)}\n`);
    process.exit(1);
  },
);
