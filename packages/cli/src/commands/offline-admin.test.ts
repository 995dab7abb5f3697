import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteStore, readServerSettings, STORE_FILE, startServer } from '@slipstream/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../command.js';
import { cli, json } from '../testing/io.js';

// The CLI package: the catalog's connector packages are installed next to it.
const SERVER_DIR = resolve(import.meta.dirname, '../..');
const KEY = 'e'.repeat(64);
let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipstream-offline-cli-'));
});
afterEach(() => rm(home, { recursive: true, force: true }));

/** A home after a first start of `list`, its admin's password given. */
async function firstStart(list: string): Promise<void> {
  const env = {
    SLIPSTREAM_HOME: home,
    SLIPSTREAM_CONNECTORS: list,
    SLIPSTREAM_ADMIN_PASSWORD: 'first password here',
    PORT: '0',
  };
  const settings = readServerSettings({ env, argv: [], cwd: home });
  const running = await startServer({ settings, from: SERVER_DIR, env: { SLIPSTREAM_SECRET_KEY: KEY } });
  await running.close();
}

async function storedList(): Promise<string | undefined> {
  const store = await openSqliteStore({ file: join(home, STORE_FILE) });
  try {
    return (await store.getConfiguration())?.basics.connectors;
  } finally {
    await store.close();
  }
}

const options = (extra: { stdin?: string } = {}) => ({
  env: { SLIPSTREAM_HOME: home, SLIPSTREAM_SECRET_KEY: KEY },
  cwd: SERVER_DIR,
  ...extra,
});

describe('slipstream config set', () => {
  it('stores a list and its values, checked as the configuration page checks them', async () => {
    await firstStart('local');
    const run = await cli(
      [
        'config',
        'set',
        'connectors',
        'local,cloud2:cloudstack',
        'cloud2.endpoint',
        'http://127.0.0.1:9/client/api',
        'cloud2.page.size',
        '100',
        '--server-dir',
        SERVER_DIR,
      ],
      options(),
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).toContain(`Stored in ${home}: connectors "local,cloud2:cloudstack".`);
    expect(run.stdout).toContain('Restart the server to load it.');
    expect(await storedList()).toBe('local,cloud2:cloudstack');
  }, 120_000);

  it('refuses a list with problems, listing each, and stores nothing', async () => {
    await firstStart('local');
    const run = await cli(
      ['config', 'set', 'connectors', 'local,cloud2:cloudstak;cloud3:cloudstack'],
      options(),
    );
    expect(run.status).toBe(EXIT.PROBLEMS);
    expect(run.stderr).toContain('The configuration was not saved');
    expect(await storedList()).toBe('local');
  }, 120_000);

  it('names the parameters still needed with --allow-missing, and reads a secret from standard input', async () => {
    await firstStart('local');
    const added = await cli(
      ['config', 'set', 'connectors', 'local,cs:cloudstack', '--allow-missing', '--json'],
      options(),
    );
    expect(added.status).toBe(EXIT.OK);
    expect(json(added)).toMatchObject({
      connectors: 'local,cs:cloudstack',
      missing: [expect.objectContaining({ instance: 'cs', key: 'endpoint' })],
    });
    // The missing value set, a secret beside it read from standard input.
    const secret = await cli(
      ['config', 'set', 'cs.endpoint', 'http://127.0.0.1:9/client/api', 'local.accounts', '-'],
      options({ stdin: 'alice:from-stdin-secret\n' }),
    );
    expect(secret.status).toBe(EXIT.OK);
    expect(secret.stdout).not.toContain('from-stdin-secret');
    expect(secret.stdout).not.toContain('Still to set');
  }, 120_000);

  it('refuses names without values and names it cannot set', async () => {
    const odd = await cli(['config', 'set', 'connectors', 'local', 'lab.zone'], options());
    expect(odd.status).toBe(EXIT.USAGE);
    expect(odd.stderr).toContain('"lab.zone" has no value');
    const bad = await cli(['config', 'set', 'endpoint', 'http://x'], options());
    expect(bad.status).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain('use connectors, or <instance>.<parameter>');
  });
});

describe('slipstream admin reset-password', () => {
  it('prints a new password once, and the server takes it', async () => {
    await firstStart('local');
    const run = await cli(['admin', 'reset-password', '--json'], options());
    expect(run.status).toBe(EXIT.OK);
    const { password, user } = json(run) as { password: string; user: string };
    expect(user).toBe('admin');
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);

    const settings = readServerSettings({ env: { SLIPSTREAM_HOME: home, PORT: '0' }, argv: [], cwd: home });
    const running = await startServer({ settings, from: SERVER_DIR, env: { SLIPSTREAM_SECRET_KEY: KEY } });
    try {
      const login = (text: string) =>
        fetch(`${running.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: text }),
        });
      expect((await login(password)).status).toBe(200);
      expect((await login('first password here')).status).toBe(401);
    } finally {
      await running.close();
    }
  }, 120_000);

  it('takes the password from standard input and says when the home has no store', async () => {
    await firstStart('local');
    const given = await cli(
      ['admin', 'reset-password', '--password-stdin'],
      options({ stdin: 'a new passphrase\n' }),
    );
    expect(given.status).toBe(EXIT.OK);
    expect(given.stdout).toBe('The password of "admin" is set (0 login sessions ended).\n');
    await mkdir(join(home, 'empty'));
    const nowhere = await cli(['admin', 'reset-password', '--home', join(home, 'empty')], options());
    expect(nowhere.status).not.toBe(EXIT.OK);
    expect(nowhere.stderr).toContain('There is no SlipStream store in');
  }, 120_000);
});
