import {
  ConnectorError,
  createHttpTransport,
  type HttpTransportOptions,
  silentLogger,
} from '@slipstream/connector-core';
import { OpenStackSession } from '@slipstream/connector-openstack/extend';
import { findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessKeySigner, ProjectLookup } from './aksk.js';
import { OtcEndpoints } from './endpoints.js';
import { openStackSettingsOf, otcSettings } from './parameters.js';
import { launchRequest, logText, type Rig, startRig } from './testing/fixtures.js';

// AK/SK mode against the OTC simulator: signed requests, the project found through IAM, and the
// API gateway's refusals.

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({
    simulator: {
      accounts: [
        { key: 'alice', secret: 'alice-password', name: 'eu-de', vmLimit: 3 },
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
  rig.projectIds.length = 0;
});

const signatures = (): string[] =>
  rig.authorizations.map((header) => /Signature=([0-9a-f]{64})/.exec(header)?.[1] ?? '').filter(Boolean);

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('OTC access key (AK/SK)', () => {
  it('signs every request and finds the project id by name once per session', async () => {
    const session = await rig.session('access-key');
    await session.checkCredentials();
    await session.listImages();
    await session.listSizes();
    await session.describe();
    expect(rig.sim.control.count('list-projects')).toBe(1);
    expect(rig.authorizations.length).toBeGreaterThanOrEqual(5);
    for (const header of rig.authorizations) {
      expect(header).toMatch(
        new RegExp(
          `^SDK-HMAC-SHA256 Access=${rig.sim.accessKey}, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(header).toContain('x-sdk-date');
    }
    // IAM is global: only the project-level calls name the project.
    expect(rig.projectIds.filter((id) => id !== undefined)).toEqual(
      new Array(rig.authorizations.length - 1).fill(rig.sim.user.projectId),
    );
  });

  it('uses a project id as given, and a sub-project by name', async () => {
    const byId = await rig.session('access-key', { project: rig.sim.user.projectId });
    await byId.describe();
    expect(rig.sim.control.count('list-projects')).toBe(0);

    const bobKey = rig.sim.accessKeys[1] as { accessKey: string; secretKey: string };
    const sub = await rig.instance.session({
      'access.key': bobKey.accessKey,
      'secret.key': bobKey.secretKey,
      project: 'eu-de_team',
    });
    const [vm] = await sub.launch(launchRequest(rig, 'team-vm'));
    expect(vm?.name).toBe('team-vm');
    const bob = rig.sim.control.cloud.accountByKey('bob');
    expect(rig.sim.control.cloud.vms(bob?.id as string).map((v) => v.name)).toEqual(['team-vm']);
    await sub.terminate([vm?.id as string]);
  });

  it('refuses a wrong secret key AUTH_FAILED, quoting the gateway, with no secret or signature shown', async () => {
    const bad = await rig.session('access-key', { 'secret.key': 'W'.repeat(40) });
    const error = await failure(bad.checkCredentials());
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('APIGW.0301');
    expect(error.message).toContain('verify aksk signature fail');
    expect(error.message).toContain('15 minutes');
    const secrets = ['W'.repeat(40), rig.sim.secretKey, ...signatures()];
    expect(signatures().length).toBeGreaterThan(0);
    expect(findSecretLeaks(error, secrets)).toEqual([]);
    const logged = logText(rig.logs);
    for (const secret of secrets) expect(logged).not.toContain(secret);
    // A refused signature is not sent again: the same keys would sign the same way.
    expect(rig.sim.control.count('list-projects')).toBe(1);
  });

  it('refuses an unknown access key AUTH_FAILED', async () => {
    const bad = await rig.session('access-key', { 'access.key': 'ZZZZZZZZZZZZZZZZZZZZ' });
    await expect(bad.describe()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('says which credential to fix when the project name is unknown', async () => {
    const session = await rig.session('access-key', { project: 'eu-de_nothing' });
    const error = await failure(session.listSizes());
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.problems.map((problem) => problem.key)).toEqual(['project']);
    expect(error.message).toContain('eu-de_nothing');
  });

  it('signs each attempt afresh: a throttled read is retried with a new signature and succeeds', async () => {
    // A clock one second further at each signature, so that each attempt's X-Sdk-Date differs.
    let tick = 0;
    const session = signedSession(() => Date.now() + 1000 * tick++, { backoffBaseMs: 1, backoffMaxMs: 2 });
    rig.sim.control.rateLimit(0, { match: 'list-servers-detail' });
    await expect(session.describe()).resolves.toEqual([]);
    expect(rig.sim.control.count('list-servers-detail')).toBe(2);
    const [throttled, retried] = signatures();
    expect(throttled).toBeDefined();
    expect(retried).toBeDefined();
    expect(retried).not.toBe(throttled);
  });

  it('signs each attempt of its own IAM project query afresh', async () => {
    let tick = 0;
    const lookup = new ProjectLookup({
      http: createHttpTransport({ backoffBaseMs: 1, backoffMaxMs: 2 }),
      keys: { accessKey: rig.sim.accessKey, secretKey: rig.sim.secretKey },
      iamUrl: otcSettings({ region: 'eu-de', 'endpoint.iam': rig.sim.authUrl }).endpoints.iam,
      project: 'eu-de',
      now: () => Date.now() + 1000 * tick++,
    });
    rig.sim.control.rateLimit(0, { match: 'list-projects' });
    expect(await lookup.id()).toBe(rig.sim.user.projectId);
    expect(rig.sim.control.count('list-projects')).toBe(2);
    const [throttled, retried] = signatures();
    expect(retried).toBeDefined();
    expect(retried).not.toBe(throttled);
  });

  it('creates one server when the answer to a signed launch is lost, and a retry finds it', async () => {
    const session = await rig.session('access-key');
    const request = launchRequest(rig, 'lost-answer');
    rig.sim.control.resetConnection({ match: 'create-server', afterHandling: true });
    const [first] = await session.launch(request);
    const [again] = await session.launch(request);
    expect(again?.id).toBe(first?.id);
    expect(rig.sim.control.count('create-server')).toBe(1);
    const named = (await session.describe()).filter((v) => v.name === 'lost-answer');
    expect(named.map((v) => v.id)).toEqual([first?.id]);
    await session.terminate([first?.id as string]);
  });

  it('maps a launch over the quota to QUOTA_EXCEEDED', async () => {
    const session = await rig.session('access-key');
    const { cloud } = rig.sim.control;
    const account = cloud.accountByKey('alice');
    if (!account) throw new Error('no alice');
    const limit = account.vmLimit;
    account.vmLimit = cloud.vms(account.id).filter((vm) => vm.phase !== 'expunging').length;
    try {
      await expect(session.launch(launchRequest(rig, 'one-too-many'))).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
      });
    } finally {
      account.vmLimit = limit;
    }
  });
});

/** A session signing with the simulator's access key, on the clock `now`, straight on the connector's parts. */
function signedSession(now: () => number, http: HttpTransportOptions = { retries: 0 }): OpenStackSession {
  const settings = otcSettings({
    region: 'eu-de',
    'endpoint.iam': rig.sim.authUrl,
    'endpoint.ecs': rig.sim.url,
    'endpoint.ims': rig.sim.imageUrl,
    'endpoint.vpc': rig.sim.url,
  });
  const transport = createHttpTransport(http);
  const keys = { accessKey: rig.sim.accessKey, secretKey: rig.sim.secretKey };
  const lookup = new ProjectLookup({
    http: transport,
    keys,
    iamUrl: settings.endpoints.iam,
    project: rig.sim.user.projectId,
  });
  return new OpenStackSession({
    http: transport,
    logger: silentLogger,
    settings: openStackSettingsOf(settings),
    access: {
      authenticator: new AccessKeySigner(keys, lookup, now),
      endpoints: new OtcEndpoints({ ...settings.endpoints, projectId: (signal) => lookup.id(signal) }),
      owner: 'signed-session',
    },
  });
}

describe('OTC access key: X-Sdk-Date and the gateway clock', () => {
  const sessionAt = (offsetMs: number): OpenStackSession => signedSession(() => Date.now() + offsetMs);

  it('is accepted with a clock ten minutes off', async () => {
    await expect(sessionAt(-10 * 60_000).checkCredentials()).resolves.toBeUndefined();
  });

  it('fails AUTH_FAILED with a clock more than fifteen minutes off, either way', async () => {
    for (const offset of [-20 * 60_000, 20 * 60_000]) {
      const error = await failure(sessionAt(offset).checkCredentials());
      expect(error.code).toBe('AUTH_FAILED');
      expect(error.status).toBe(401);
    }
  });
});

describe('OTC access key: pages', () => {
  let paged: Rig;

  beforeAll(async () => {
    paged = await startRig({ simulator: { maxLimit: 2 } });
  });

  afterAll(() => paged.close());

  it('signs every page of servers (limit/marker) and of images (next links), each query included', async () => {
    const session = await paged.session('access-key');
    const { cloud } = paged.sim.control;
    const account = cloud.accountByKey(paged.sim.user.username);
    const [image] = cloud.images;
    const [size] = cloud.sizes;
    const [zone] = cloud.zones;
    if (!account || !image || !size || !zone) throw new Error('the simulator has no account or catalog');
    cloud.seedVms(account.id, 5, { image: image.id, size: size.id, zone: zone.id, namePrefix: 'paged' });
    const vms = await session.describe();
    expect(vms.filter((vm) => vm.name.startsWith('paged'))).toHaveLength(5);
    expect(paged.sim.control.count('list-servers-detail')).toBe(3);
    const images = await session.listImages();
    expect(images.map((found) => found.id).sort()).toEqual(cloud.images.map((known) => known.id).sort());
    expect(paged.sim.control.count('list-images')).toBeGreaterThanOrEqual(2);
    // The gateway accepted every signed page: nothing was refused and retried.
    const refused = paged.sim.control.requests.filter((request) => request.status !== 200);
    expect(refused.map((request) => `${request.status} ${request.path}`)).toEqual([]);
  });
});
