import { type RunOptions, type RunResult, run as runCommand } from '@slipstream/test-processes';

export { tail } from '@slipstream/test-processes';

/** Runs one command to completion in {@link cleanEnv} unless told otherwise (see the shared `run`). */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runCommand(command, args, { ...options, env: options.env ?? cleanEnv() });
}

/**
 * The environment for Debian's Python programs: this process's, less the variables that would point
 * the system interpreter at another Python's library (a pyenv or virtualenv on a developer machine).
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['PYTHONHOME', 'PYTHONPATH', 'VIRTUAL_ENV', 'OS_KEYSTONE_CONFIG_DIR']) delete env[name];
  return env;
}
