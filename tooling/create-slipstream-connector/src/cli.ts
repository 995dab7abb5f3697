#!/usr/bin/env node
import { runCli } from './run.js';

// The bin: `pnpm create slipstream-connector <name>` runs this file.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
