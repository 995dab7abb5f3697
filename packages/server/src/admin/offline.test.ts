import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootServer, STORE_FILE } from '../boot/boot.js';
import { isKnownError, ServerError } from '../errors.js';
import { verifyPassword } from '../security/passwords.js';
import { readServerSettings } from '../settings.js';
import { openSqliteStore } from '../store/sqlite.js';
import { changeStoredConfiguration, resetPassword, setStoredConnectors } from './offline.js';

// The server package: its node_modules hold the connector packages (local, cloudstack, openstack).
const FROM = new URL('../../', import.meta.url);
const KEY = { SLIPSTREAM_SECRET_KEY: 'c'.repeat(64) };
const OTHER_KEY = { SLIPSTREAM_SECRET_KEY: 'd'.repeat(64) };
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'slipstream-offline-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** A home as a first start leaves it: the list stored, `admin` created with `password`. */
async function seeded(env: Record<string, string>, password = 'the first password'): Promise<void> {
  const settings = readServerSettings({
    env: { ...env, SLIPSTREAM_HOME: home, SLIPSTREAM_ADMIN_PASSWORD: password },
    argv: [],
    cwd: home,
  });
  const booted = await bootServer({ settings, from: FROM, env: KEY });
  await booted.ensureAdministrator();
  await booted.close();
}

async function rejection(promise: Promise<unknown>): Promise<ServerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isKnownError(error)) throw new Error(`expected a ServerError, got ${String(error)}`);
  return error as ServerError;
}

async function stored() {
  const store = await openSqliteStore({ file: join(home, STORE_FILE) });
  try {
    return {
      configuration: await store.getConfiguration(),
      admin: await store.getUserByName('admin'),
      store,
    };
  } finally {
    await store.close();
  }
}

describe('resetPassword', () => {
  it('sets a generated password, enables the account and ends its sessions', async () => {
    await seeded({});
    const store = await openSqliteStore({ file: join(home, STORE_FILE) });
    const admin = await store.getUserByName('admin');
    if (admin === undefined) throw new Error('no admin');
    await store.updateUser(admin.id, { disabled: true });
    await store.createSession({
      id: 'session-of-the-thief',
      userId: admin.id,
      csrfToken: 'csrf-of-the-thief',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await store.close();

    const result = await resetPassword({ home, env: KEY });
    expect(result).toMatchObject({ user: 'admin', sessionsEnded: 1 });
    expect(result.generatedPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    const after = (await stored()).admin;
    expect(after?.disabled).toBeFalsy();
    expect(await verifyPassword(result.generatedPassword ?? '', after?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('the first password', after?.passwordHash ?? '')).toBe(false);
  }, 60_000);

  it('takes a given password and another user, and names the administrators when the user does not exist', async () => {
    await seeded({});
    const given = await resetPassword({ home, env: KEY, user: 'ADMIN', password: 'a chosen passphrase' });
    expect(given).toEqual({ user: 'admin', sessionsEnded: 0 });
    expect(await verifyPassword('a chosen passphrase', (await stored()).admin?.passwordHash ?? '')).toBe(
      true,
    );
    const missing = await rejection(resetPassword({ home, env: KEY, user: 'root' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe(`There is no user "root" in ${home}. Administrators: admin.`);
  }, 60_000);

  it('never creates a store in a home that has none', async () => {
    const empty = join(home, 'typo');
    const error = await rejection(resetPassword({ home: empty, env: KEY }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`There is no SlipStream store in ${empty}`);
    expect(existsSync(empty)).toBe(false);
  });
});

describe('changeStoredConfiguration', () => {
  it('stores a new list with values read as their types, keeping the values it does not name', async () => {
    await seeded({ SLIPSTREAM_CONNECTORS: 'local' });
    const result = await changeStoredConfiguration({
      home,
      env: KEY,
      from: FROM,
      connectors: 'local,lab2:local',
      values: { lab2: { 'boot.delay.ms': '50', zone: 'local-b' } },
    });
    expect(result).toEqual({ connectors: 'local,lab2:local', missing: [] });
    let configuration = (await stored()).configuration;
    expect(configuration?.basics.connectors).toBe('local,lab2:local');
    expect(configuration?.instances.lab2).toEqual({
      'boot.delay.ms': { kind: 'plain', value: 50 },
      zone: { kind: 'plain', value: 'local-b' },
    });

    // A value alone: the list and the other values stay.
    await changeStoredConfiguration({ home, env: KEY, from: FROM, values: { lab2: { zone: 'local-a' } } });
    configuration = (await stored()).configuration;
    expect(configuration?.basics.connectors).toBe('local,lab2:local');
    expect(configuration?.instances.lab2?.['boot.delay.ms']).toEqual({ kind: 'plain', value: 50 });
    expect(configuration?.instances.lab2?.zone).toEqual({ kind: 'plain', value: 'local-a' });
  }, 60_000);

  it('refuses a list with problems, naming each, and stores nothing', async () => {
    await seeded({ SLIPSTREAM_CONNECTORS: 'local' });
    const before = (await stored()).configuration;
    const error = await rejection(
      changeStoredConfiguration({
        home,
        env: KEY,
        from: FROM,
        connectors: 'local,cloud2:cloudstak',
        values: { lab9: { zone: 'local-a' }, local: { 'boot.delay.ms': 'soon' } },
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems.map((problem) => problem.instance)).toEqual(['lab9', 'local', 'cloud2']);
    expect(error.message).toContain('did you mean "cloudstack"');
    expect((await stored()).configuration).toEqual(before);
  }, 60_000);

  it('accepts instances still missing required values only when asked, and names them', async () => {
    await seeded({ SLIPSTREAM_CONNECTORS: 'local' });
    const refused = await rejection(
      changeStoredConfiguration({ home, env: KEY, from: FROM, connectors: 'local,cs:cloudstack' }),
    );
    expect(refused.problems).toEqual([expect.objectContaining({ instance: 'cs', key: 'endpoint' })]);

    const added = await setStoredConnectors({ home, env: KEY, from: FROM, list: 'local,cs:cloudstack' });
    expect(added.list).toBe('local,cs:cloudstack');
    expect(added.problems).toEqual([expect.objectContaining({ instance: 'cs', key: 'endpoint' })]);
    expect((await stored()).configuration?.basics.connectors).toBe('local,cs:cloudstack');

    // A mistake other than a missing value is still refused with allowMissing.
    const typo = await rejection(
      setStoredConnectors({ home, env: KEY, from: FROM, list: 'local,cs:cloudstak' }),
    );
    expect(typo.code).toBe('CONFIG_INVALID');
  }, 60_000);

  it('refuses a key that does not open the stored secrets', async () => {
    await seeded({ SLIPSTREAM_CONNECTORS: 'local' });
    await changeStoredConfiguration({
      home,
      env: KEY,
      from: FROM,
      values: { local: { accounts: 'alice:secret-one' } },
    });
    const error = await rejection(
      changeStoredConfiguration({ home, env: OTHER_KEY, from: FROM, values: { local: { zone: 'local-b' } } }),
    );
    expect(error.message).toContain('is not the key the stored secrets were sealed with');
    expect(ServerError.is(error)).toBe(true);
  }, 60_000);
});
