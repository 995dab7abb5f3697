import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { cleanEnv } from './run.js';

const SETPRIV = '/usr/bin/setpriv';

/**
 * Who runs initdb and postgres. Both refuse to run as root, so as root they run as Debian's
 * `postgres` system user (the package creates it); otherwise as ourselves.
 */
export interface RunAs {
  /** The user name to switch to, or undefined to stay who we are. */
  readonly user: string | undefined;
  /** Its uid and gid, for chown of the directory; undefined when we stay ourselves. */
  readonly uid: number | undefined;
  readonly gid: number | undefined;
}

/**
 * The command line that runs `program` as `runAs`. setpriv (util-linux, in every Debian) execs the
 * program in place, unlike `runuser` or `su`, which stay as its parent: the process we spawn IS the
 * program, so its pid is the postmaster's and signals reach it directly. `--pdeathsig SIGQUIT` asks
 * the kernel to send the program SIGQUIT (PostgreSQL's immediate shutdown) when the thread that
 * spawned it dies, so a test process killed with SIGKILL, which runs no exit hook, does not leave
 * a server behind either. The setting survives the uid switch (setpriv applies it last).
 */
export function commandAs(runAs: RunAs, program: string, args: readonly string[]): [string, string[]] {
  if (!existsSync(SETPRIV)) {
    if (runAs.user) throw new Error(`${SETPRIV} is missing: cannot run ${program} as ${runAs.user}.`);
    return [program, [...args]];
  }
  const user = runAs.user ? [`--reuid=${runAs.user}`, `--regid=${runAs.user}`, '--init-groups'] : [];
  return [SETPRIV, [...user, '--pdeathsig', 'SIGQUIT', '--', program, ...args]];
}

/** A running postmaster, spawned by us, in a process group of its own with its backends. */
export interface PostmasterProcess {
  readonly pid: number;
  /** True until the postmaster has exited. */
  running(): boolean;
  /** Resolves with a description of how the postmaster ended ("exited with status 1"). */
  readonly exited: Promise<string>;
  /**
   * Fast shutdown (SIGINT: disconnects clients, rolls back, checkpoints, exits); after `graceMs`
   * immediate shutdown (SIGQUIT), then SIGKILL for whatever is left of the group.
   */
  stop(graceMs?: number): Promise<void>;
  /** For a process 'exit' hook, which cannot wait on promises: immediate shutdown, synchronously. */
  stopNow(): void;
}

export interface PostmasterOptions {
  /** Directory with the `postgres` program. */
  readonly bin: string;
  readonly dataDir: string;
  readonly port: number;
  /** The server's stderr (its log) is appended here. */
  readonly logFile: string;
  readonly runAs: RunAs;
}

/**
 * Spawns `postgres` itself rather than `pg_ctl start`: pg_ctl daemonises the postmaster away from
 * us, whereas our own child gives us its pid and group (every backend) for stopping it, tells us at
 * once when it exits during start-up (so a failure shows the log instead of waiting out a timeout),
 * and can be stopped synchronously from an exit hook. The port is on the command line, not in
 * postgresql.conf, so that a start that lost the port to another process can retry with a new one.
 */
export function spawnPostmaster(options: PostmasterOptions): PostmasterProcess {
  const [command, args] = commandAs(options.runAs, join(options.bin, 'postgres'), [
    '-D',
    options.dataDir,
    '-p',
    String(options.port),
  ]);
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: options.dataDir,
      env: cleanEnv(),
      // A group of its own: stop() can reach the backends too, and Ctrl+C on the terminal running
      // the tests does not hit the server before the harness's own shutdown does.
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
  if (pid === undefined) throw new Error(`${command} could not be started (no process id).`);
  // A test that forgets close() must not keep Node waiting; the harness's exit hook stops the server.
  child.unref();

  return {
    pid,
    running: () => alive,
    exited,
    async stop(graceMs = 30_000): Promise<void> {
      if (alive) {
        signal(pid, 'SIGINT');
        // Unref'd: a timer left running once the server exited must not keep Node alive.
        const stopped = await Promise.race([exited.then(() => true), delay(graceMs, false, { ref: false })]);
        if (!stopped) signal(pid, 'SIGQUIT');
        const quit = await Promise.race([exited.then(() => true), delay(10_000, false, { ref: false })]);
        if (!quit) signalGroup(pid, 'SIGKILL');
        await exited;
      }
      // The postmaster waits for its backends before it exits, so this is only for a postmaster
      // that was killed: its orphaned backends must not linger.
      for (let round = 0; groupAlive(pid) && round < 50; round += 1) {
        signalGroup(pid, 'SIGKILL');
        await delay(20);
      }
    },
    stopNow(): void {
      if (!groupAlive(pid)) return;
      // SIGQUIT rather than SIGKILL first: the postmaster then removes its shared memory segment,
      // which a killed one leaves behind. An exit hook cannot await, so wait with Atomics.wait.
      signal(pid, 'SIGQUIT');
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let waited = 0; waited < 5_000 && processAlive(pid); waited += 20) Atomics.wait(pause, 0, 0, 20);
      signalGroup(pid, 'SIGKILL');
    },
  };
}

/** Whether any process is left in the group `pgid`. */
export function groupAlive(pgid: number): boolean {
  return alive(-pgid);
}

/**
 * Whether `pid` is running. In an exit hook nothing reaps our child, so a postmaster that has
 * exited stays a zombie, which kill(pid, 0) still finds: Linux's /proc tells the two apart.
 */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return alive(pid);
  }
}

function alive(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: it has already gone.
  }
}

function signalGroup(pgid: number, name: NodeJS.Signals): void {
  signal(-pgid, name);
}
