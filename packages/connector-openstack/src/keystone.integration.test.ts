import { randomBytes, randomUUID } from 'node:crypto';
import { type RunningOpenStack, startOpenStack } from '@slipstream/cloud-simulators/openstack';
import {
  ConnectorError,
  createInstance,
  type LoadedInstance,
  type Session,
  waitFor,
} from '@slipstream/connector-core';
import { captureLogs, findSecretLeaks } from '@slipstream/connector-testkit';
import {
  type KeystoneCredentials,
  keystoneUnavailableReason,
  type RunningKeystone,
  startKeystone,
} from '@slipstream/keystone-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import definition from './index.js';

/**
 * The connector against a real Keystone: Debian's `keystone` package (OpenStack Zed) under uWSGI on
 * 127.0.0.1, with a project and user of its own and a catalog whose compute and image endpoints
 * point at the Nova and Glance simulator. The simulator has no identity of its own here: it
 * validates every X-Auth-Token with that Keystone (GET /v3/auth/tokens), so a server is listed,
 * launched and terminated only with a token Keystone issued and the catalog it returned.
 */

// Only a machine without the packages that cannot install them (not root, no apt-get) skips, and
// it says why. CI sets SLIPSTREAM_REQUIRE_KEYSTONE (.ci/run), so that there a skip is a failure.
const unavailable = keystoneUnavailableReason();
if (unavailable && process.env.SLIPSTREAM_REQUIRE_KEYSTONE) {
  throw new Error(`SLIPSTREAM_REQUIRE_KEYSTONE is set but a real Keystone cannot run here: ${unavailable}`);
}
if (unavailable) console.warn(`Skipping the real Keystone integration test: ${unavailable}`);

/** A machine's first run installs Keystone from Debian (~100 packages); later ones start it in ~10 s. */
const SETUP_TIMEOUT_MS = 10 * 60_000;
const WAIT = { interval: 50, maxInterval: 200, timeout: 60_000 } as const;

describe.skipIf(unavailable)('OpenStack connector with a real Keystone', { timeout: 120_000 }, () => {
  let keystone: RunningKeystone | undefined;
  let simulator: RunningOpenStack | undefined;
  let instance: LoadedInstance | undefined;
  let session: Session;
  const logs = captureLogs();
  const user: KeystoneCredentials = {
    username: 'slipstream-it',
    password: randomBytes(18).toString('base64url'),
    project: 'slipstream-it',
    domain: 'Default',
  };
  const other: KeystoneCredentials = {
    username: 'slipstream-other',
    password: randomBytes(18).toString('base64url'),
    project: 'slipstream-other',
    domain: 'Default',
  };

  const credentials = (who: KeystoneCredentials): Record<string, string> => ({
    username: who.username,
    password: who.password,
    project: who.project,
    domain: who.domain,
  });

  beforeAll(async () => {
    keystone = await startKeystone();
    for (const who of [user, other]) {
      await keystone.createProjectAndUser({
        project: who.project,
        user: who.username,
        password: who.password,
        domain: who.domain,
      });
    }
    simulator = await startOpenStack({ keystone: { url: keystone.url }, bootDelayMs: 50, haltDelayMs: 50 });
    await keystone.registerEndpoints({
      region: 'RegionOne',
      compute: simulator.computeUrl,
      image: simulator.imageUrl,
    });
    instance = await createInstance(definition, {
      instance: 'keystone-it',
      parameters: { endpoint: keystone.url, 'service.region': 'RegionOne' },
      logger: logs.logger,
    });
    session = await instance.session(credentials(user));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close?.();
    await instance?.close();
    await simulator?.close();
    await keystone?.close();
  });

  it('accepts the credentials Keystone knows, with a token from Keystone rather than the simulator', async () => {
    await session.checkCredentials();
    // The simulator's own identity service issued nothing: the token came from the real Keystone.
    expect(simulator?.control.count('create-token')).toBe(0);
    expect(simulator?.control.requests.length).toBeGreaterThan(0);
  });

  it('lists images and sizes from the endpoints in the Keystone catalog', async () => {
    const cloud = simulator?.control.cloud;
    const images = await session.listImages();
    const sizes = await session.listSizes();
    expect(images.map((image) => image.name).sort()).toEqual(cloud?.images.map((image) => image.name).sort());
    expect(sizes.map((size) => size.name).sort()).toEqual(cloud?.sizes.map((size) => size.name).sort());
  });

  it('launches a server, waits until it runs, terminates it and waits until it is gone', async () => {
    const [image] = await session.listImages();
    const [size] = await session.listSizes();
    if (!image || !size) throw new Error('The simulator offers no image or no size.');
    const launched = await session.launch({
      name: 'keystone-it',
      image: image.id,
      size: size.id,
      idempotencyKey: randomUUID(),
    });
    expect(launched).toHaveLength(1);
    const ids = launched.map((vm) => vm.id);
    const [running] = await waitFor(session, ids, 'running', WAIT);
    expect(running).toMatchObject({ id: ids[0], name: 'keystone-it', state: 'running', rawState: 'ACTIVE' });
    expect((await session.describe()).map((vm) => vm.id)).toContain(ids[0]);
    // The simulator keeps the server in the model account of the Keystone project the token names.
    const cloud = simulator?.control.cloud;
    const tenant = cloud?.accounts().find((account) => account.name === user.project);
    expect(tenant && cloud?.vms(tenant.id).map((vm) => vm.name)).toEqual(['keystone-it']);

    // Another Keystone project is another tenant: it does not see this server.
    const outsider = await instance?.session(credentials(other));
    expect(await outsider?.describe()).toEqual([]);
    await outsider?.close?.();

    await session.terminate(ids);
    const [gone] = await waitFor(session, ids, 'terminated', WAIT);
    expect(gone?.state).toBe('terminated');
    expect(simulator?.control.count('create-server')).toBe(1);
    expect(simulator?.control.count('delete-server')).toBe(1);
  });

  it('fails AUTH_FAILED when Keystone refuses the password, without showing it', async () => {
    const wrong = { ...credentials(user), password: `not-${user.password}` };
    const error = await (async () => {
      const refused = await instance?.session(wrong);
      await refused?.checkCredentials();
    })().catch((caught: unknown) => caught);
    expect(ConnectorError.hasCode(error, 'AUTH_FAILED')).toBe(true);
    expect(findSecretLeaks(error, [wrong.password])).toEqual([]);
  });

  it('writes no password and no token into the logs', async () => {
    // Core logs every HTTP exchange at debug level, so there is something to search.
    expect(logs.entries.length).toBeGreaterThan(0);
    const text = JSON.stringify(logs.entries);
    expect(text).not.toContain(user.password);
    expect(text).not.toContain(other.password);
    expect(text).not.toContain(keystone?.admin.password);
    // Fernet tokens start with the version byte 0x80, "gAAAAA" in URL-safe base64.
    expect(text).not.toMatch(/gAAAAA[\w-]{20}/);
  });
});
