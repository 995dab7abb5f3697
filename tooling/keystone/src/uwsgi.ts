import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { KeystonePaths } from './config.js';
import { KEYSTONE_FILES } from './install.js';
import { cleanEnv } from './run.js';

/** Keystone's public WSGI app in uWSGI, in a process group of its own. */
export interface UwsgiProcess {
  readonly pid: number;
  /** True until the master process has exited. */
  running(): boolean;
  /** Resolves with a description of how the master ended ("exited with status 1"). */
  readonly exited: Promise<string>;
  /** Stops the whole process group: SIGTERM, then SIGKILL for whatever is left after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The command line: uWSGI serving Keystone with one process, one thread (Keystone's SQLite database takes
 * one writer), the web app found by `--wsgi-file`. Keystone's web app ignores --config-file, so the
 * configuration comes from OS_KEYSTONE_CONFIG_FILES. `--master` lets uWSGI reap its worker,
 * `--die-on-term` makes SIGTERM stop rather than reload (uWSGI 2.0's default), and `--need-app`
 * exits at once when the app cannot load instead of answering 500 forever. `--http-socket` closes
 * the connection after every response without saying so; the Connection header says it, so that
 * HTTP clients with a keep-alive pool do not send the next request into a socket being closed.
 */
export function uwsgiArguments(port: number): string[] {
  return [
    '--plugins',
    'python3',
    '--http-socket',
    `127.0.0.1:${port}`,
    '--wsgi-file',
    KEYSTONE_FILES.wsgiPublic,
    '--processes',
    '1',
    '--threads',
    '1',
    '--master',
    '--die-on-term',
    '--need-app',
    '--add-header',
    'Connection: close',
  ];
}

export function startUwsgi(paths: KeystonePaths, port: number): UwsgiProcess {
  const log = openSync(paths.uwsgiLog, 'a');
  let child: ChildProcess;
  try {
    child = spawn(KEYSTONE_FILES.uwsgi, uwsgiArguments(port), {
      cwd: paths.dir,
      env: cleanEnv({ OS_KEYSTONE_CONFIG_FILES: paths.config }),
      // A group of its own, so that stop() reaches the worker too.
      detached: true,
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  let alive = true;
  // Listening before anything else: a spawn failure arrives as an 'error' event.
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      alive = false;
      resolve(`could not start: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      alive = false;
      resolve(signal ? `was killed by ${signal}` : `exited with status ${code}`);
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${KEYSTONE_FILES.uwsgi} could not be started (no process id).`);
  // A test that forgets close() must not keep Node waiting: the 'exit' hook below kills uWSGI.
  child.unref();
  // If the test process ends without close(), the group must not outlive it.
  const killOnExit = (): void => signalGroup(pid, 'SIGKILL');
  process.once('exit', killOnExit);

  return {
    pid,
    running: () => alive,
    exited,
    async stop(graceMs = 10_000): Promise<void> {
      process.removeListener('exit', killOnExit);
      signalGroup(pid, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(graceMs, false)]);
      if (!stopped) signalGroup(pid, 'SIGKILL');
      await exited;
      // The master has gone; a worker it failed to bury must not linger.
      for (let round = 0; groupAlive(pid) && round < 50; round += 1) {
        signalGroup(pid, 'SIGKILL');
        await delay(20);
      }
    },
  };
}

/** Whether any process is left in the group `pgid`. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
