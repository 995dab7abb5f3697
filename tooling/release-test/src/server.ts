import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { commandEnv } from './environment.js';
import { tail } from './run.js';

/** The installed `slipstream-server` (node_modules/.bin) run as an operator runs it. */

export interface InstalledServer {
  /** `http://127.0.0.1:<port>`, from the banner. */
  readonly url: string;
  output(): string;
  /** SIGTERM, as Ctrl+C; SIGKILL after 10 s. */
  stop(): Promise<void>;
}

const LISTENING = /SlipStream server listening on (http:\/\/\S+)/;

export async function startInstalledServer(
  project: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = 60_000,
): Promise<InstalledServer> {
  const child = spawn(join(project, 'node_modules', '.bin', 'slipstream-server'), [], {
    cwd: project,
    env: commandEnv({ PORT: '0', HOST: '127.0.0.1', SLIPSTREAM_LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const append = (chunk: string): void => {
    printed += chunk;
  };
  child.stdout?.setEncoding('utf8').on('data', append);
  child.stderr?.setEncoding('utf8').on('data', append);
  const exited = once(child, 'exit');
  const stop = (): Promise<void> => stopChild(child, exited);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within ${timeoutMs / 1000} s`)), timeoutMs);
      const check = (): void => {
        const match = LISTENING.exec(printed);
        if (match?.[1] === undefined) return;
        clearTimeout(timer);
        resolve(match[1]);
      };
      child.stdout?.on('data', check);
      void exited.then(([code, signal]) => {
        clearTimeout(timer);
        reject(new Error(`it exited (${String(code ?? signal)}) before listening`));
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return { url, output: () => printed, stop };
  } catch (error) {
    await stop();
    throw new Error(
      `The installed slipstream-server did not start: ${error instanceof Error ? error.message : String(error)}\n${tail(printed)}`,
    );
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown[]>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface Session {
  readonly cookie: string;
}

/** Logs in through the API; the session cookie reads the user-only routes. */
export async function login(url: string, name: string, password: string): Promise<Session> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (response.status !== 200) throw new Error(`POST /api/login as ${name} answered ${response.status}`);
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

export async function getJson<T>(url: string, path: string, session?: Session): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    headers: { accept: 'application/json', ...(session === undefined ? {} : { cookie: session.cookie }) },
  });
  if (response.status !== 200) {
    throw new Error(`GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
  return (await response.json()) as T;
}
