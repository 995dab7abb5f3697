import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorError, Logger } from '@slipstream/connector-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startupBanner } from '../banner.js';
import { parameterAad } from '../configuration/instance-values.js';
import { isKnownError, ServerError } from '../errors.js';
import { verifyPassword } from '../security/passwords.js';
import { SecretBox } from '../security/secret-box.js';
import type { InitialConfiguration, ServerSettings } from '../settings.js';
import { startServer } from '../start.js';
import { writeOldStore } from '../testing/old-store.js';
import { type BootedServer, bootServer, STORE_FILE } from './boot.js';

// The server package itself: its node_modules hold the connector packages these tests load.
const FROM = new URL('../../', import.meta.url);
const SECRET = 'alice:top-secret-value-42';
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

let home: string;
const booted: BootedServer[] = [];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'slipstream-boot-'));
});

afterEach(async () => {
  await Promise.all(booted.splice(0).map((server) => server.close()));
  rmSync(home, { recursive: true, force: true });
});

function settingsFor(
  initial: Partial<InitialConfiguration> & { connectors?: string },
  extra: Partial<ServerSettings> = {},
): ServerSettings {
  return {
    home,
    host: '127.0.0.1',
    port: 0,
    strict: false,
    adminPassword: undefined,
    logLevel: 'info',
    initial: {
      basics: {
        ...initial.basics,
        ...(initial.connectors === undefined ? {} : { connectors: initial.connectors }),
      },
      instances: initial.instances ?? {},
    },
    ...extra,
  };
}

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message: string | undefined;
}

function recordingLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message?: string): void => {
      lines.push({ level, fields, message });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

async function boot(
  settings: ServerSettings,
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<BootedServer> {
  const server = await bootServer({ settings, from: FROM, env, logger });
  booted.push(server);
  return server;
}

/** The store's files' bytes, to show that a refused boot wrote nothing. */
async function storeSnapshot(): Promise<Record<string, string>> {
  const files = [STORE_FILE, `${STORE_FILE}-wal`].filter((name) => existsSync(join(home, name)));
  return Object.fromEntries(files.map((name) => [name, readFileSync(join(home, name)).toString('base64')]));
}

async function closeAll(): Promise<void> {
  await Promise.all(booted.splice(0).map((server) => server.close()));
}

async function rejection(promise: Promise<unknown>): Promise<ServerError | ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(isKnownError(error)).toBe(true);
    return error as ServerError | ConnectorError;
  }
  throw new Error('expected a rejection');
}

describe('bootServer: first start', () => {
  it('seeds the configuration and the admin with the given password; a second boot keeps both', async () => {
    const settings = settingsFor(
      {
        connectors: 'local,lab2:local',
        basics: { title: 'Lab' },
        instances: { lab2: { 'boot.delay.ms': 50 } },
      },
      { adminPassword: 'correct horse battery staple' },
    );
    const first = await boot(settings);
    expect(first.firstStart).toBe(true);
    expect(await first.ensureAdministrator()).toBeUndefined();
    expect(existsSync(join(home, STORE_FILE))).toBe(true);
    const stored = await first.store.getConfiguration();
    expect(stored?.basics).toEqual({ connectors: 'local,lab2:local', settings: { title: 'Lab' } });
    expect(stored?.instances.lab2?.['boot.delay.ms']).toEqual({ kind: 'plain', value: 50 });
    const admin = await first.store.getUserByName('admin');
    expect(admin?.role).toBe('admin');
    expect(await verifyPassword('correct horse battery staple', admin?.passwordHash ?? '')).toBe(true);
    await closeAll();

    // The file and the password setting no longer matter: the store is the source now, and the
    // boot says so, with how to change the stored values.
    const lines: LogLine[] = [];
    const second = await boot(
      settingsFor(
        {
          connectors: 'cloudstack',
          basics: { title: 'Lab' },
          instances: { cloudstack: { endpoint: 'http://x' } },
        },
        {
          adminPassword: 'another password entirely',
          firstStartVariables: ['SLIPSTREAM_CONNECTORS', 'SLIPSTREAM_CONFIG', 'SLIPSTREAM_ADMIN_PASSWORD'],
        },
      ),
      {},
      recordingLogger(lines),
    );
    expect(second.firstStart).toBe(false);
    expect(await second.ensureAdministrator()).toBeUndefined();
    expect(second.loadedConnectors).toBe('local,lab2:local');
    expect(second.warnings).toEqual([
      expect.stringMatching(
        /^SLIPSTREAM_CONNECTORS is read only at the first start: the stored connector list "local,lab2:local" is in use, not "cloudstack"\. To change the stored list, run `slipstream config set connectors "cloudstack"`/,
      ),
      expect.stringMatching(
        /^SLIPSTREAM_CONFIG is read only at the first start: instances\.cloudstack\.endpoint differs/,
      ),
      expect.stringMatching(
        /^SLIPSTREAM_ADMIN_PASSWORD is read only when the first administrator is created.*slipstream admin reset-password/,
      ),
    ]);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual(
      second.warnings,
    );
    expect(JSON.stringify(lines)).not.toContain('another password entirely');
    const again = await second.store.getUserByName('admin');
    expect(again?.id).toBe(admin?.id);
    expect(await verifyPassword('correct horse battery staple', again?.passwordHash ?? '')).toBe(true);
    expect(await second.store.listUsers()).toHaveLength(1);
  });

  it('returns a generated admin password exactly once and never logs it', async () => {
    const lines: LogLine[] = [];
    const first = await boot(settingsFor({}), {}, recordingLogger(lines));
    const password = await first.ensureAdministrator();
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    expect(first.loadedConnectors).toBe('local');
    expect(first.registry.instances.map((i) => i.name)).toEqual(['local']);
    const admin = await first.store.getUserByName('admin');
    expect(await verifyPassword(password ?? '', admin?.passwordHash ?? '')).toBe(true);
    await closeAll();

    const second = await boot(settingsFor({}), {}, recordingLogger(lines));
    expect(await second.ensureAdministrator()).toBeUndefined();
    expect(second.firstStart).toBe(false);
    expect((await second.store.getUserByName('admin'))?.passwordHash).toBe(admin?.passwordHash);
    expect(lines.some((line) => line.message?.includes('first administrator'))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(password);
  });

  it('stores secret parameters sealed and opens them for the loader', async () => {
    const lines: LogLine[] = [];
    const server = await boot(
      settingsFor({
        connectors: 'local,lab2:local',
        instances: { lab2: { accounts: SECRET, 'boot.delay.ms': 50, zone: 'local-b' } },
      }),
      { SLIPSTREAM_SECRET_KEY: KEY_A },
      recordingLogger(lines),
    );
    const stored = await server.store.getConfiguration();
    const accounts = stored?.instances.lab2?.accounts;
    expect(accounts?.kind).toBe('secret');
    // Bound to its location: the blob opens only as lab2's accounts parameter.
    const blob = accounts?.kind === 'secret' ? accounts.blob : '';
    expect(server.box.open(blob, parameterAad('lab2', 'accounts'))).toBe(SECRET);
    expect(() => server.box.open(blob, parameterAad('local', 'accounts'))).toThrow(ServerError);
    expect(stored?.instances.lab2?.zone).toEqual({ kind: 'plain', value: 'local-b' });
    expect(server.registry.instance('lab2').parameters.accounts).toBe(SECRET);
    expect(server.problems).toEqual([]);
    await closeAll();

    const raw = [STORE_FILE, `${STORE_FILE}-wal`]
      .map((name) => join(home, name))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('');
    expect(raw).toContain('local-b');
    expect(raw).not.toContain(SECRET);
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });

  it('refuses a secret parameter that is not text, naming it without echoing it, and stores nothing', async () => {
    const settings = settingsFor({
      connectors: 'lab:local',
      instances: { lab: { accounts: { a: SECRET } } },
    });
    const error = await rejection(boot(settings));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('instances.lab.accounts');
    expect(error.message).not.toContain(SECRET);
    // Nothing was written, so a corrected start is still the first one.
    const fixed = await boot(settingsFor({ connectors: 'lab:local' }));
    expect(fixed.firstStart).toBe(true);
  });

  it('refuses a first start whose list or parameters have problems, listing every one and storing nothing', async () => {
    const settings = settingsFor({
      connectors: 'local,cloud2:cloudstak,cloud3:cloudstack',
      instances: { lab9: { zone: 'local-a' }, local: { zone: 'nowhere', 'boot.dealy.ms': 5 } },
    });
    const error = await rejection(boot(settings));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^First start refused: the initial configuration .* has 5 problems:/);
    expect(error.message).toContain('Nothing was stored');
    expect(error.problems.map((p) => p.instance)).toEqual(['lab9', 'local', 'local', 'cloud2', 'cloud3']);
    // A misspelt key in SLIPSTREAM_CONFIG is named, with its correction.
    expect(error.message).toContain('"boot.dealy.ms": did you mean "boot.delay.ms"?');
    expect(error.message).toContain('did you mean "cloudstack"');
    expect(error.message).toContain('"endpoint"');
    // Nothing stored: the corrected variables still make a first start.
    const fixed = await boot(settingsFor({ connectors: 'local,lab9:local' }));
    expect(fixed.firstStart).toBe(true);
    expect(fixed.loadedConnectors).toBe('local,lab9:local');
  });

  it('creates the administrator only once the server listens: a failed start loses no generated password', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const refused = await startServer({
        settings: settingsFor({}, { port: taken }),
        from: FROM,
        env: {},
      }).then(
        () => undefined,
        (error: unknown) => error as NodeJS.ErrnoException,
      );
      expect(refused?.code).toBe('EADDRINUSE');
    } finally {
      blocker.close();
    }
    const running = await startServer({ settings: settingsFor({}), from: FROM, env: {} });
    try {
      expect(running.booted.firstStart).toBe(false);
      const password = running.generatedAdminPassword;
      expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
      const admin = await running.booted.store.getUserByName('admin');
      expect(await verifyPassword(password ?? '', admin?.passwordHash ?? '')).toBe(true);
      expect(startupBanner(running)).toContain(password);
    } finally {
      await running.close();
    }
  }, 60_000);
});

describe('bootServer: loading the stored connector list', () => {
  it('loads cloudstack,cloud2:cloudstack,cloud9:openstack with their parameters from the file', async () => {
    const server = await boot(
      settingsFor({
        connectors: 'cloudstack,cloud2:cloudstack,cloud9:openstack',
        instances: {
          cloudstack: { endpoint: 'http://127.0.0.1:8080/client/api' },
          cloud2: { endpoint: 'http://127.0.0.1:8081/client/api', 'page.size': 100 },
          cloud9: { endpoint: 'http://127.0.0.1:5000/v3' },
        },
      }),
    );
    expect(server.problems).toEqual([]);
    expect(server.registry.instances.map((i) => [i.name, i.connector, i.package])).toEqual([
      ['cloudstack', 'cloudstack', '@slipstream/connector-cloudstack'],
      ['cloud2', 'cloudstack', '@slipstream/connector-cloudstack'],
      ['cloud9', 'openstack', '@slipstream/connector-openstack'],
    ]);
    expect(server.registry.instance('cloud2').parameters.endpoint).toBe('http://127.0.0.1:8081/client/api');
    expect(server.registry.instance('cloud2').parameters['page.size']).toBe(100);
  });

  /** A store seeded with `local`, whose list is then replaced by `list`, as a later save would. */
  async function storedList(list: string): Promise<void> {
    const seeded = await boot(settingsFor({ connectors: 'local' }));
    await seeded.store.replaceConfiguration({ basics: { connectors: list, settings: {} }, instances: {} });
    await closeAll();
  }

  it('boots with the instances that load and reports an unknown connector with a suggestion', async () => {
    const lines: LogLine[] = [];
    await storedList('local,cloud2:cloudstak');
    const server = await boot(settingsFor({}), {}, recordingLogger(lines));
    expect(server.registry.instances.map((i) => i.name)).toEqual(['local']);
    expect(server.problems).toHaveLength(1);
    expect(server.problems[0]).toMatchObject({ code: 'CONNECTOR_UNKNOWN', instance: 'cloud2' });
    expect(server.problems[0]?.message).toContain('did you mean "cloudstack"');
    expect(lines.some((line) => line.level === 'warn' && line.message?.includes('cloudstak'))).toBe(true);
  });

  it('strict mode refuses to start, lists every problem and leaves the store closed', async () => {
    await storedList('local,cloud2:cloudstak,cloud3:cloudstack');
    const settings = settingsFor({}, { strict: true });
    const error = await rejection(boot(settings));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((p) => p.instance)).toEqual(['cloud2', 'cloud3']);
    expect(error.message).toContain('cloudstak');
    expect(error.message).toContain('endpoint');
    expect(error.message).toContain('--strict');
    // The configuration page is out of reach while the server refuses to start: the fix is a command.
    expect(error.message).toContain('slipstream config set');
    // Closed, not left half-open: the same home boots again without strict.
    const server = await boot({ ...settings, strict: false });
    expect(server.firstStart).toBe(false);
    expect(server.registry.instances.map((i) => i.name)).toEqual(['local']);
  });

  it('refuses to start with another key than the stored secrets were sealed with, writing nothing', async () => {
    await boot(settingsFor({ connectors: 'lab2:local', instances: { lab2: { accounts: SECRET } } }), {
      SLIPSTREAM_SECRET_KEY: KEY_A,
    });
    await closeAll();
    const before = await storeSnapshot();
    const error = await rejection(boot(settingsFor({}), { SLIPSTREAM_SECRET_KEY: KEY_B }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(
      /^The secret key \(SLIPSTREAM_SECRET_KEY\) is not the key the stored secrets were sealed with: none of them opens\./,
    );
    expect(error.message).toContain('wrote nothing');
    expect(error.message).not.toContain(KEY_B);
    // Without the variable, the key file is missing: none is created, since it could not open them.
    const missing = await rejection(boot(settingsFor({}), {}));
    expect(missing.message).toContain(
      `${join(home, 'secret.key')} is missing and SLIPSTREAM_SECRET_KEY is not set`,
    );
    expect(existsSync(join(home, 'secret.key'))).toBe(false);
    expect(await storeSnapshot()).toEqual(before);
    // The right key still boots.
    const server = await boot(settingsFor({}), { SLIPSTREAM_SECRET_KEY: KEY_A });
    expect(server.registry.instance('lab2').parameters.accounts).toBe(SECRET);
  });

  it('reports a stored secret that no longer opens, without its value, and loads the rest', async () => {
    const first = await boot(
      settingsFor({ connectors: 'lab2:local,lab3:local', instances: { lab2: { accounts: SECRET } } }),
      { SLIPSTREAM_SECRET_KEY: KEY_A },
    );
    // One value damaged (sealed under another key), the others fine: the key is right, the value is not.
    const stored = await first.store.getConfiguration();
    const other = new SecretBox(Buffer.from(KEY_B, 'hex'));
    await first.store.replaceConfiguration({
      basics: stored?.basics ?? { connectors: '', settings: {} },
      instances: {
        ...stored?.instances,
        lab3: { accounts: { kind: 'secret', blob: other.seal(SECRET, parameterAad('lab3', 'accounts')) } },
      },
    });
    await closeAll();
    const server = await boot(settingsFor({}), { SLIPSTREAM_SECRET_KEY: KEY_A });
    expect(server.problems).toHaveLength(1);
    expect(server.problems[0]).toMatchObject({ code: 'CONFIG_INVALID', instance: 'lab3', key: 'accounts' });
    expect(server.problems[0]?.message).not.toContain(SECRET);
    // Left out, so the connector's default applies until an administrator enters it again.
    expect(server.registry.instance('lab3').parameters.accounts).not.toBe(SECRET);
    expect(server.registry.instance('lab2').parameters.accounts).toBe(SECRET);
  });
});

describe('bootServer: restartRequired', () => {
  it('is false after boot and true once the stored list or a listed parameter changes', async () => {
    const server = await boot(
      settingsFor({ connectors: 'local,lab2:local', instances: { lab2: { accounts: SECRET } } }),
      { SLIPSTREAM_SECRET_KEY: KEY_A },
    );
    expect(await server.restartRequired()).toBe(false);
    // Asked again without a change, it does not open the secrets again.
    const opens = vi.spyOn(server.box, 'open');
    expect(await server.restartRequired()).toBe(false);
    expect(opens).not.toHaveBeenCalled();
    opens.mockRestore();
    const stored = await server.store.getConfiguration();
    if (stored === undefined) throw new Error('no configuration stored');
    const resealed = (value: string) => ({
      kind: 'secret' as const,
      blob: server.box.seal(value, parameterAad('lab2', 'accounts')),
    });

    // Same list written differently, the same secret sealed anew, an unlisted section: no restart.
    await server.store.replaceConfiguration({
      basics: { connectors: ' local , lab2:local ', settings: {} },
      instances: { lab2: { accounts: resealed(SECRET) }, other: { x: { kind: 'plain', value: 1 } } },
    });
    expect(await server.restartRequired()).toBe(false);

    await server.store.replaceConfiguration({
      basics: { connectors: 'local,lab2:local', settings: {} },
      instances: { lab2: { accounts: resealed('bob:changed-secret') } },
    });
    expect(await server.restartRequired()).toBe(true);

    await server.store.replaceConfiguration({ basics: stored.basics, instances: stored.instances });
    expect(await server.restartRequired()).toBe(false);

    await server.store.replaceConfiguration({
      basics: { connectors: 'local,lab2:local,lab3:local', settings: {} },
      instances: stored.instances,
    });
    expect(await server.restartRequired()).toBe(true);
  });
});

describe('bootServer: accounts renamed to make user names unique case-insensitively', () => {
  it('warns about each rename, with the old and the new name, at every boot', async () => {
    writeOldStore(join(home, STORE_FILE), 2, [
      { name: 'erin', createdAt: '2026-01-01T00:00:00.000Z' },
      { name: 'Erin', createdAt: '2026-01-02T00:00:00.000Z' },
      { name: 'frank', createdAt: '2026-01-03T00:00:00.000Z' },
    ]);
    for (let start = 0; start < 2; start++) {
      const lines: LogLine[] = [];
      await boot(settingsFor({ connectors: 'local' }), {}, recordingLogger(lines));
      const warnings = lines.filter((line) => line.level === 'warn' && line.message?.includes('renamed'));
      expect(warnings).toEqual([
        {
          level: 'warn',
          fields: { user: 'Erin-2', renamedFrom: 'Erin', renamedAt: expect.stringMatching(/^\d{4}-/) },
          message: expect.stringContaining('they must now log in as "Erin-2"'),
        },
      ]);
      expect(warnings[0]?.message).toContain('User "Erin" was renamed to "Erin-2"');
      await closeAll();
    }
  }, 60_000);
});
