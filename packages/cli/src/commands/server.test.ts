import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../command.js';
import { runCli } from '../dispatch.js';
import { captureIo } from '../testing/io.js';

const SERVER_DIR = resolve(import.meta.dirname, '../..');

describe('slipstream server', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipstream-server-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PORT: '0',
    SLIPSTREAM_HOME: home,
    SLIPSTREAM_LOG_LEVEL: 'silent',
    SLIPSTREAM_CONNECTORS: 'local,lab:local',
    ...extra,
  });

  it('starts the server, prints the banner, and stops when its signal aborts', async () => {
    const io = captureIo({ env: env(), cwd: SERVER_DIR });
    const status = runCli(['server'], io);
    const url = await waitForUrl(io.out);
    expect(io.out()).toContain('connector instances: local, lab');
    expect(io.out()).toContain('First start: log in at');
    const health = (await (await fetch(`${url}/api/health`)).json()) as { instances: unknown[] };
    expect(health.instances).toHaveLength(2);
    io.controller.abort();
    expect(await status).toBe(EXIT.OK);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  }, 120_000);

  it('refuses to start with --strict when an instance does not load', async () => {
    const strictHome = await mkdtemp(join(tmpdir(), 'slipstream-strict-'));
    try {
      const io = captureIo({
        // An empty folder: no connector package is installed there.
        env: env({ SLIPSTREAM_HOME: strictHome, SLIPSTREAM_CONNECTORS: 'local,vcloud' }),
        cwd: strictHome,
      });
      expect(await runCli(['server', '--strict'], io)).toBe(EXIT.PROBLEMS);
      expect(io.err()).toContain('@slipstream/connector-vcloud');
    } finally {
      await rm(strictHome, { recursive: true, force: true });
    }
  }, 120_000);

  it('reports invalid settings', async () => {
    const io = captureIo({ env: env({ PORT: 'eighty' }), cwd: SERVER_DIR });
    expect(await runCli(['server'], io)).toBe(EXIT.PROBLEMS);
    expect(io.err()).toContain('PORT must be a whole number from 0 to 65535; got "eighty"');
  });
});

async function waitForUrl(out: () => string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const url = /listening on (http:\/\/\S+)/.exec(out())?.[1];
    if (url !== undefined) return url;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the server did not start; output:\n${out()}`);
}
