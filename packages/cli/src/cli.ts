#!/usr/bin/env node
/**
 * The `slipstream` executable: the process's streams, environment and signals as a CommandIo.
 * A first Ctrl+C aborts the running command (which stops cleanly); a second one exits at once.
 */

import { EXIT } from './command.js';
import { runCli } from './dispatch.js';

const controller = new AbortController();
let interrupted = false;
const onSignal = (signal: NodeJS.Signals): void => {
  if (interrupted) {
    process.stderr.write(`slipstream: ${signal} again, exiting now\n`);
    process.exit(EXIT.INTERRUPTED);
  }
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  signal: controller.signal,
}).then(
  (status) => {
    process.exitCode = status;
    // Stdout may be a pipe still draining; exit once it is written.
    process.stdout.write('', () => process.exit(status));
  },
  (error: unknown) => {
    process.stderr.write(
      `slipstream: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT.EXTERNAL);
  },
);
