import { type RunOptions, type RunResult, run as runCommand } from '@slipstream/test-processes';

export { tail } from '@slipstream/test-processes';

/** Runs one command to completion in {@link cleanEnv} unless told otherwise (see the shared `run`). */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runCommand(command, args, { ...options, env: options.env ?? cleanEnv() });
}

/**
 * The environment for PostgreSQL's programs: this process's, less the libpq and server variables
 * (PGDATA, PGPORT, PGHOST, ...) that a developer's shell may set and that would point initdb,
 * postgres or pg_isready somewhere else than the harness's own cluster.
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('PG')) env[name] = value;
  }
  return { ...env, ...extra };
}
