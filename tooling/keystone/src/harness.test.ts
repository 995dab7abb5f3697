import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKeystone, startKeystone } from './harness.js';
import { KeystoneApiError } from './identity-api.js';
import { keystoneUnavailableReason } from './install.js';
import { run } from './run.js';
import { groupAlive } from './uwsgi.js';

// Only a machine that has not got the packages and cannot install them (not root, no apt-get)
// skips; the reason is printed so that a skipped run never looks like a passing one.
const unavailable = keystoneUnavailableReason();
if (unavailable && process.env.SLIPSTREAM_REQUIRE_KEYSTONE) {
  throw new Error(`SLIPSTREAM_REQUIRE_KEYSTONE is set but a real Keystone cannot run here: ${unavailable}`);
}
if (unavailable) console.warn(`Skipping the real Keystone tests: ${unavailable}`);

/** A first run installs ~100 Debian packages; later runs only start Keystone (~10 s). */
const START_TIMEOUT_MS = 10 * 60_000;

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

// Keystone calls take a few hundred milliseconds; a busy CI machine running other suites may take longer.
describe.skipIf(unavailable)('startKeystone (Debian keystone under uWSGI)', { timeout: 60_000 }, () => {
  let keystone: RunningKeystone;

  beforeAll(async () => {
    keystone = await startKeystone({ tokenExpirationSeconds: 900 });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await keystone?.close();
  });

  it('serves the identity v3 version document on 127.0.0.1', async () => {
    expect(keystone.url).toBe(`http://127.0.0.1:${keystone.port}/v3`);
    const response = await fetch(keystone.url);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { version: { id: string; status: string } };
    expect(body.version.id).toMatch(/^v3\.\d+$/);
    expect(body.version.status).toBe('stable');
  });

  it('keeps its SQLite database in WAL mode', async () => {
    const { stdout } = await run('/usr/bin/python3', [
      '-c',
      'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode").fetchone()[0])',
      `${keystone.dir}/keystone.db`,
    ]);
    expect(stdout.trim()).toBe('wal');
  });

  it('issues the admin a fernet token whose catalog has the bootstrap identity endpoints', async () => {
    const issued = await keystone.issueToken(keystone.admin);
    // Fernet tokens are URL-safe base64 starting with the version byte 0x80 ("gAAAAA").
    expect(issued.token).toMatch(/^gAAAAA[\w-]+=*$/);
    // keystone.conf's [token] expiration reached Keystone.
    expect(Date.parse(issued.expiresAt) - Date.parse(issued.issuedAt)).toBe(900_000);
    const identity = issued.catalog.find((service) => service.type === 'identity');
    expect(
      identity?.endpoints.map((endpoint) => [endpoint.interface, endpoint.region_id, endpoint.url]).sort(),
    ).toEqual([
      ['admin', 'RegionOne', keystone.url],
      ['internal', 'RegionOne', keystone.url],
      ['public', 'RegionOne', keystone.url],
    ]);
    // The admin token from start-up is valid: Keystone validates it against itself.
    const validation = await fetch(`${keystone.url}/auth/tokens`, {
      headers: { 'x-auth-token': keystone.adminToken, 'x-subject-token': issued.token },
    });
    expect(validation.status).toBe(200);
  });

  it('creates a project and a user that can authenticate, scoped to that project with the member role', async () => {
    const created = await keystone.createProjectAndUser({
      project: 'alpha',
      user: 'alice',
      password: 'alice-pw',
    });
    const issued = await keystone.issueToken({
      username: 'alice',
      password: 'alice-pw',
      project: 'alpha',
      domain: 'Default',
    });
    expect(issued.userId).toBe(created.userId);
    expect(issued.projectId).toBe(created.projectId);
    // A user may validate its own token (X-Auth-Token = X-Subject-Token), as the simulator does.
    const validation = await fetch(`${keystone.url}/auth/tokens`, {
      headers: { 'x-auth-token': issued.token, 'x-subject-token': issued.token },
    });
    expect(validation.status).toBe(200);
    const body = (await validation.json()) as {
      token: { roles: { name: string }[]; project: { name: string } };
    };
    expect(body.token.project.name).toBe('alpha');
    expect(body.token.roles.map((role) => role.name)).toContain('member');
  });

  it('creates a missing domain and scopes the user to it', async () => {
    const created = await keystone.createProjectAndUser({
      project: 'beta',
      user: 'bob',
      password: 'bob-pw',
      domain: 'Partners',
    });
    expect(created.domainId).not.toBe('default');
    const issued = await keystone.issueToken({
      username: 'bob',
      password: 'bob-pw',
      project: 'beta',
      domain: 'Partners',
    });
    expect(issued.projectId).toBe(created.projectId);
  });

  it('refuses a wrong password with 401 and Keystone error body, without echoing the password', async () => {
    const failure = await keystone
      .issueToken({ username: 'alice', password: 'not-alice-pw', project: 'alpha', domain: 'Default' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KeystoneApiError);
    expect((failure as KeystoneApiError).status).toBe(401);
    expect((failure as KeystoneApiError).message).toMatch(
      /^Keystone answered POST \/auth\/tokens with HTTP 401: /,
    );
    expect((failure as KeystoneApiError).message).not.toContain('not-alice-pw');
  });

  it('registers compute and image endpoints that appear in a user token catalog', async () => {
    await keystone.createProjectAndUser({ project: 'gamma', user: 'carol', password: 'carol-pw' });
    const registered = await keystone.registerEndpoints({
      compute: 'http://127.0.0.1:9/compute/v2.1',
      image: 'http://127.0.0.1:9/image',
      interfaces: ['public', 'internal'],
    });
    expect(registered.map((service) => [service.type, service.endpointIds.length])).toEqual([
      ['compute', 2],
      ['image', 2],
    ]);
    const { catalog } = await keystone.issueToken({
      username: 'carol',
      password: 'carol-pw',
      project: 'gamma',
      domain: 'Default',
    });
    const compute = catalog.find((service) => service.type === 'compute');
    const image = catalog.find((service) => service.type === 'image');
    expect(compute?.name).toBe('nova');
    expect(image?.name).toBe('glance');
    expect(
      compute?.endpoints.map((endpoint) => [endpoint.interface, endpoint.region_id, endpoint.url]).sort(),
    ).toEqual([
      ['internal', 'RegionOne', 'http://127.0.0.1:9/compute/v2.1'],
      ['public', 'RegionOne', 'http://127.0.0.1:9/compute/v2.1'],
    ]);
    expect(image?.endpoints.map((endpoint) => endpoint.url)).toEqual([
      'http://127.0.0.1:9/image',
      'http://127.0.0.1:9/image',
    ]);
  });

  it('creates a region that does not exist yet for the endpoints', async () => {
    await keystone.registerEndpoints({ region: 'RegionTwo', compute: 'http://127.0.0.1:9/two/v2.1' });
    const { catalog } = await keystone.issueToken(keystone.admin);
    const urls = catalog
      .filter((service) => service.type === 'compute')
      .flatMap((service) => service.endpoints)
      .filter((endpoint) => endpoint.region_id === 'RegionTwo')
      .map((endpoint) => endpoint.url);
    expect(urls).toEqual(['http://127.0.0.1:9/two/v2.1']);
  });

  it('issues the admin a new token when Keystone refuses the one it holds', async () => {
    // Revoking the start-up token (DELETE /v3/auth/tokens) makes Keystone answer 401 to it.
    const revoke = await fetch(`${keystone.url}/auth/tokens`, {
      method: 'DELETE',
      headers: { 'x-auth-token': keystone.adminToken, 'x-subject-token': keystone.adminToken },
    });
    expect(revoke.status).toBe(204);
    const stale = await fetch(`${keystone.url}/projects`, {
      headers: { 'x-auth-token': keystone.adminToken },
    });
    expect(stale.status).toBe(401);
    const created = await keystone.createProjectAndUser({
      project: 'delta',
      user: 'dave',
      password: 'dave-pw',
    });
    const issued = await keystone.issueToken({
      username: 'dave',
      password: 'dave-pw',
      project: 'delta',
      domain: 'Default',
    });
    expect(issued.projectId).toBe(created.projectId);
  });

  // Last: it stops the Keystone the tests above share (afterAll's close() is then a no-op).
  it('close() stops every uWSGI process, frees the port and removes the directory', async () => {
    expect(groupAlive(keystone.pid)).toBe(true);
    expect(await refused(keystone.port)).toBe(false);
    await keystone.close();
    expect(groupAlive(keystone.pid)).toBe(false);
    expect(await refused(keystone.port)).toBe(true);
    expect(existsSync(keystone.dir)).toBe(false);
    await keystone.close();
  });
});
