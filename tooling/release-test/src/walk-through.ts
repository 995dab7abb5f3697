import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { commandEnv } from './environment.js';
import { killGroup, tail } from './run.js';
import { WORKSPACE_ROOT } from './workspace.js';

/**
 * The server README's "Run it" walk-through, run as written: the shell block a new administrator
 * pastes into an empty directory — npm install of the published packages, the CloudStack simulator
 * in the background, `slipstream config check`, the first start of `slipstream-server`. Only what the
 * block itself reads from the environment is set: the registry npm uses, PORT=0 and CLOUDSTACK_PORT.
 */

export const SERVER_README = join(WORKSPACE_ROOT, 'packages', 'server', 'README.md');

/** The first `sh` block of the README's "Run it" section. */
export function walkThroughBlock(readme: string): string {
  const section = readme.slice(readme.indexOf('## Run it'));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (match?.[1] === undefined) throw new Error('The server README\'s "Run it" section has no sh block.');
  return match[1];
}

export interface RunningWalkThrough {
  /** Where the block made its installation (`<dir>/slipstream`). */
  readonly project: string;
  /** From the server's banner. */
  readonly url: string;
  readonly adminPassword: string;
  /** The simulator's account, as the block starts it. */
  readonly cloudstackPort: number;
  output(): string;
  /** Ends the block's process group: the server and the simulator it started. */
  stop(): Promise<void>;
}

const LISTENING = /SlipStream server listening on (http:\/\/\S+)/;
const PASSWORD = /as "admin" with the password\n\s+(\S+)\n/;

export async function startWalkThrough(
  dir: string,
  registry: string,
  timeoutMs: number,
): Promise<RunningWalkThrough> {
  const script = join(dir, 'walk-through.sh');
  writeFileSync(script, walkThroughBlock(readFileSync(SERVER_README, 'utf8')));
  const cloudstackPort = await freePort();
  const child = spawn('bash', ['-e', '-o', 'pipefail', script], {
    cwd: dir,
    // Its own process group, so that stopping it stops the simulator it put in the background too.
    detached: true,
    env: commandEnv({
      npm_config_registry: registry,
      PORT: '0',
      CLOUDSTACK_PORT: String(cloudstackPort),
      SLIPSTREAM_LOG_LEVEL: 'warn',
      NO_COLOR: '1',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    printed += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    printed += chunk;
  });
  const exited = once(child, 'exit');
  const stop = (): Promise<void> => killGroup(child, exited, 10_000);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within ${timeoutMs / 1000} s`)), timeoutMs);
      const check = (): void => {
        const match = LISTENING.exec(printed);
        // The banner is written at once; wait for its password line too.
        if (match?.[1] === undefined || !PASSWORD.test(printed)) return;
        clearTimeout(timer);
        resolve(match[1]);
      };
      child.stdout?.on('data', check);
      void exited.then(([code, signal]) => {
        clearTimeout(timer);
        reject(new Error(`the walk-through exited (${String(code ?? signal)}) before the server listened`));
      });
    });
    const adminPassword = PASSWORD.exec(printed)?.[1] ?? '';
    return {
      project: join(dir, 'slipstream'),
      url,
      adminPassword,
      cloudstackPort,
      output: () => printed,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(
      `The server README's walk-through failed: ${error instanceof Error ? error.message : String(error)}\n${tail(printed)}`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
