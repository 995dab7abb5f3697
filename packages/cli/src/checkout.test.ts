import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from './command.js';
import { runCli } from './dispatch.js';
import { resolveServerDir } from './server-dir.js';
import { captureIo, cli, json } from './testing/io.js';

/**
 * In a checkout of this repository the commands find the workspace's server package by
 * themselves: `pnpm slipstream …` runs at the workspace root, which has no connector installed.
 */
const CHECKOUT = resolve(import.meta.dirname, '../../..');
const SERVER_PACKAGE = join(CHECKOUT, 'packages', 'server');

describe('slipstream in a checkout of this repository', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipstream-checkout-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it("takes the workspace's @slipstream/server package as the installation, from the root or below", async () => {
    expect(await resolveServerDir(undefined, CHECKOUT)).toBe(SERVER_PACKAGE);
    expect(await resolveServerDir(undefined, join(CHECKOUT, 'packages', 'cli', 'src'))).toBe(SERVER_PACKAGE);
    // Outside a checkout nothing changes: no server anywhere means the working directory.
    expect(await resolveServerDir(undefined, home)).toBe(home);
  });

  it("checks the README's headline list at the workspace root without --server-dir", async () => {
    const run = await cli(['config', 'check', 'cloudstack,cloud2:cloudstack,cloud9:openstack', '--json'], {
      cwd: CHECKOUT,
    });
    expect(json(run)).toMatchObject({ valid: true, serverDir: SERVER_PACKAGE, problems: [] });
    expect(run.status).toBe(EXIT.OK);
  });

  it('advises an install command pnpm accepts in the workspace', async () => {
    const run = await cli(['config', 'check', 'aws', '--json'], { cwd: CHECKOUT });
    expect(run.status).toBe(EXIT.PROBLEMS);
    const [problem] = json(run).problems as { message: string }[];
    expect(problem?.message).toContain(
      '`pnpm --filter @slipstream/server add @slipstream/connector-aws@workspace:^`',
    );
    expect(problem?.message).not.toMatch(/`pnpm add /);
  });

  it("lists the workspace server's connectors at the workspace root", async () => {
    const run = await cli(['connectors', 'list', '--json', '--home', home], { cwd: CHECKOUT });
    expect(run.status).toBe(EXIT.OK);
    const body = json(run);
    expect(body.serverDir).toBe(SERVER_PACKAGE);
    const connectors = (body.connectors as { connector: string }[]).map((row) => row.connector);
    expect(connectors).toEqual(expect.arrayContaining(['cloudstack', 'openstack']));
  });

  it("starts the server at the workspace root with the workspace's connectors", async () => {
    const config = join(home, 'first-start.json');
    await writeFile(
      config,
      JSON.stringify({
        basics: { connectors: 'cloudstack,cloud9:openstack' },
        instances: {
          cloudstack: { endpoint: 'http://127.0.0.1:9/client/api' },
          cloud9: { endpoint: 'http://127.0.0.1:9/identity/v3' },
        },
      }),
    );
    const io = captureIo({
      cwd: CHECKOUT,
      env: {
        PORT: '0',
        SLIPSTREAM_HOME: join(home, 'server'),
        SLIPSTREAM_LOG_LEVEL: 'silent',
        SLIPSTREAM_CONFIG: config,
      },
    });
    const status = runCli(['server'], io);
    try {
      const url = await waitForUrl(io.out, status);
      const health = (await (await fetch(`${url}/api/health`)).json()) as {
        instances: string[];
        problems: { code: string; message: string }[];
      };
      expect(health.instances).toEqual(['cloudstack', 'cloud9']);
      expect(health.problems.filter((problem) => problem.code === 'CONNECTOR_NOT_INSTALLED')).toEqual([]);
    } finally {
      io.controller.abort();
    }
    expect(await status).toBe(EXIT.OK);
  }, 120_000);
});

async function waitForUrl(out: () => string, status: Promise<number>): Promise<string> {
  let ended = false;
  void status.then(() => {
    ended = true;
  });
  for (let i = 0; i < 2400 && !ended; i++) {
    const url = /listening on (http:\/\/\S+)/.exec(out())?.[1];
    if (url !== undefined) return url;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the server did not start; output:\n${out()}`);
}
