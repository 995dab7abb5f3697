import { findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchRequest, logText, type Rig, startRig } from './testing/fixtures.js';

// Token mode against the OTC simulator: IAM password authentication with the tenant's domain and
// the region's project, ECS and IMS from the token's catalog.

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({
    fixedEndpoints: false,
    simulator: {
      domain: 'OTC00000000001000000317',
      accounts: [
        { key: 'alice', secret: 'alice-password', name: 'eu-de' },
        { key: 'bob', secret: 'bob-password', name: 'eu-de_team' },
      ],
    },
  });
});

afterAll(() => rig.close());

afterEach(() => {
  rig.clearFaults();
  rig.sim.control.clearRequests();
  rig.authorizations.length = 0;
  rig.tokens.length = 0;
});

describe('OTC IAM user (token)', () => {
  it('authenticates once with the tenant domain and works in the region project from the catalog', async () => {
    const session = await rig.session('password');
    await session.checkCredentials();
    const [vm] = await session.launch(launchRequest(rig, 'token-vm', { zone: 'eu-de-02' }));
    expect(vm?.zone).toBe('eu-de-02');
    expect((await session.listImages()).map((image) => image.name)).toContain('Standard_Ubuntu_22.04_latest');
    expect(rig.sim.control.count('create-token')).toBe(1);
    // Every ECS call went to the project's URL, as IAM's catalog gives it.
    const ecs = rig.sim.control.requests.filter((request) => request.path.startsWith('/v2.1/'));
    expect(ecs.length).toBeGreaterThan(0);
    for (const request of ecs) expect(request.path.startsWith(`/v2.1/${rig.sim.user.projectId}/`)).toBe(true);
    // No request was signed: tokens only.
    expect(rig.authorizations).toEqual([]);
    await session.terminate([vm?.id as string]);
  });

  it('works in a sub-project given by name', async () => {
    const session = await rig.instance.session({
      username: 'bob',
      password: 'bob-password',
      domain: 'OTC00000000001000000317',
      project: 'eu-de_team',
    });
    await expect(session.describe()).resolves.toEqual([]);
  });

  it('authenticates again once when the token expires mid-session', async () => {
    const session = await rig.session('password');
    await session.describe();
    rig.sim.expireTokens();
    await expect(session.describe()).resolves.toBeInstanceOf(Array);
    expect(rig.sim.control.count('create-token')).toBe(2);
  });

  it('refuses a wrong password or another tenant AUTH_FAILED, without showing the password', async () => {
    const wrong: Record<string, string>[] = [
      { password: 'not-the-password' },
      { domain: 'OTC00000000001000000999' },
    ];
    for (const extra of wrong) {
      const session = await rig.session('password', extra);
      const error = await session.checkCredentials().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'AUTH_FAILED' });
      expect(findSecretLeaks(error, ['not-the-password', rig.sim.user.password])).toEqual([]);
    }
    expect(logText(rig.logs)).not.toContain(rig.sim.user.password);
  });

  it('shows no IAM token in an error or a log line', async () => {
    const session = await rig.session('password');
    await session.describe();
    rig.sim.control.failWithStatus(500, { match: 'list-servers-detail', times: Number.POSITIVE_INFINITY });
    const error = await session.describe().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    // A 500 is the cloud failing on the request (core's status table), not the cloud being away.
    expect(error).toMatchObject({ code: 'CLOUD_ERROR', retryable: false, status: 500 });
    const tokens = [...new Set(rig.tokens)];
    expect(tokens.length).toBeGreaterThan(0);
    expect(findSecretLeaks(error, tokens)).toEqual([]);
    // Core logs every exchange at debug level, so there is something to search.
    expect(rig.logs.length).toBeGreaterThan(0);
    const logged = logText(rig.logs);
    for (const token of tokens) expect(logged).not.toContain(token);
  });

  it("uses the administrator's ECS URL with the token's project id instead of the catalog", async () => {
    const overridden = await startRig({
      fixedEndpoints: false,
      // The simulator's own URL, written differently from the catalog's (localhost vs 127.0.0.1).
      parameters: { 'endpoint.ecs': 'http://localhost:1' },
    });
    try {
      const session = await overridden.session('password');
      // Port 1 refuses connections: the override is what the session dialled.
      await expect(session.describe()).rejects.toMatchObject({ code: 'CLOUD_UNAVAILABLE' });
      await expect(session.describe()).rejects.toThrow(
        new RegExp(`localhost:1/v2\\.1/${overridden.sim.user.projectId}/servers`),
      );
      // IMS still comes from the catalog.
      await expect(session.listImages()).resolves.not.toHaveLength(0);
    } finally {
      await overridden.close();
    }
  });
});
