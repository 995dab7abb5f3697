import { ConnectorError, waitFor } from '@slipstream/connector-core';
import { describeFaults, findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenStackConnector, keystoneAccess } from './connector.js';
import { faultTarget, launchRequest, type Rig, startRig } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit): a 503 and a reset on Nova's
// list-servers-detail retried, a lasting 429 RATE_LIMITED with retryAfterMs, exactly one server
// when the answer to create-server is lost, a body cut short CLOUD_ERROR, a wrong Keystone
// password AUTH_FAILED, a hanging Nova TIMEOUT, and no password in any error or log line.
describeFaults('openstack', () => faultTarget());

/**
 * Below, only what is OpenStack's own: every page read, a token that expires mid-session renewed
 * once, a 401 after that renewal, Nova's, Glance's and Keystone's error answers mapped to the right
 * code (quota refusals as QUOTA_EXCEEDED), what a launch does when create-server is lost before or
 * after Nova handled it, and no Keystone token in any error or log line.
 */

const seen: unknown[] = [];
const rigs: Rig[] = [];
/** Every token the sessions below sent, to search the errors and logs for. */
const tokens = new Set<string>();

// At file level, so that the simulators close even when a filter skips the describe blocks below.
afterAll(async () => {
  for (const rig of rigs) await rig.close();
});

/** Runs the call and returns its error, kept for the secret check at the end. */
async function failure(call: () => Promise<unknown>): Promise<ConnectorError> {
  try {
    await call();
  } catch (error) {
    seen.push(error);
    if (!ConnectorError.is(error)) throw error;
    return error;
  }
  throw new Error('the call was expected to fail');
}

/** The OpenStack connector, recording the tokens its sessions send. */
const recording = createOpenStackConnector({
  access: (context) => {
    const access = keystoneAccess(context);
    const { authenticator } = access;
    return {
      ...access,
      authenticator: {
        secrets: authenticator.secrets,
        rejected: (authorization) => authenticator.rejected(authorization),
        async authorize(request, signal) {
          const authorization = await authenticator.authorize(request, signal);
          for (const secret of authorization.secrets) tokens.add(secret);
          return authorization;
        },
      },
    };
  },
});

async function rig(options: Parameters<typeof startRig>[0] = {}): Promise<Rig> {
  const started = await startRig({ ...options, definition: recording });
  rigs.push(started);
  return started;
}

describe('OpenStack connector: pagination and tokens', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig({ simulator: { maxLimit: 2 } });
  });
  afterEach(() => {
    r.sim.control.clearFaults();
    r.sim.control.clearRequests();
  });

  it('reads every page of servers (limit/marker) and of images (next links)', async () => {
    const { cloud } = r.sim.control;
    const [image] = cloud.images;
    const [size] = cloud.sizes;
    const [zone] = cloud.zones;
    cloud.seedVms(r.accountId, 5, {
      image: image?.id ?? '',
      size: size?.id ?? '',
      zone: zone?.id ?? '',
      namePrefix: 'seeded',
    });
    const vms = await r.session.describe();
    expect(vms.filter((vm) => vm.name.startsWith('seeded'))).toHaveLength(5);
    expect(r.sim.control.count('list-servers-detail')).toBe(3);
    const images = await r.session.listImages();
    expect(images.map((i) => i.id).sort()).toEqual(cloud.images.map((i) => i.id).sort());
    expect(r.sim.control.count('list-images')).toBeGreaterThanOrEqual(3);
  });

  it('authenticates again, once, when the token expires mid-session', async () => {
    await r.session.listZones();
    expect(r.sim.control.count('create-token')).toBe(0);
    r.sim.expireTokens();
    expect(await r.session.listZones()).not.toHaveLength(0);
    expect(r.sim.control.count('create-token')).toBe(1);
    expect(r.sim.control.count('list-availability-zones')).toBe(3);
    await r.session.listSizes();
    expect(r.sim.control.count('create-token')).toBe(1);
  });

  it('fails AUTH_FAILED when the account is disabled meanwhile, and works again once restored', async () => {
    r.sim.control.revokeKey(r.credentials.username ?? '');
    r.sim.expireTokens();
    const error = await failure(() => r.session.describe());
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('Keystone create-token answered 401');
    r.sim.control.restoreKey(r.credentials.username ?? '');
    await r.session.checkCredentials();
  });
});

describe('OpenStack connector: error mapping', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig({ http: { retries: 0 } });
  });
  afterEach(() => {
    r.sim.control.clearFaults();
    r.sim.control.clearRequests();
  });
  const fail = (status: number, match: string, message?: string, times = 1) =>
    r.sim.control.failWithStatus(status, { match, message, times });

  it('401 twice (after one re-authentication) is AUTH_FAILED', async () => {
    fail(401, 'list-availability-zones', undefined, 2);
    const error = await failure(() => r.session.listZones());
    expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
    expect(r.sim.control.count('list-availability-zones')).toBe(2);
  });

  it('403 is PERMISSION_DENIED, or QUOTA_EXCEEDED when it speaks of a quota', async () => {
    fail(403, 'list-flavors-detail', "Policy doesn't allow os_compute_api:flavors:index to be performed.");
    expect((await failure(() => r.session.listSizes())).code).toBe('PERMISSION_DENIED');
    fail(403, 'create-server', 'Quota exceeded for cores: Requested 1, but already used 20 of 20 cores');
    expect((await failure(() => r.session.launch(launchRequest(r, 'quota-text')))).code).toBe(
      'QUOTA_EXCEEDED',
    );
  });

  it('404 is NOT_FOUND, 409 INVALID_REQUEST, 413 QUOTA_EXCEEDED', async () => {
    fail(404, 'list-availability-zones');
    expect((await failure(() => r.session.listZones())).code).toBe('NOT_FOUND');
    fail(409, 'list-availability-zones');
    expect((await failure(() => r.session.listZones())).code).toBe('INVALID_REQUEST');
    fail(413, 'create-server', 'Maximum number of metadata items exceeds 128');
    expect((await failure(() => r.session.launch(launchRequest(r, 'too-much')))).code).toBe('QUOTA_EXCEEDED');
  });

  it("5xx follows core's status table, from Nova, Glance and Keystone alike", async () => {
    fail(500, 'list-servers-detail', 'Unexpected API Error.');
    const nova = await failure(() => r.session.describe());
    // A 500 is the cloud failing on this request, which usually fails the same way again.
    expect(nova).toMatchObject({ code: 'CLOUD_ERROR', retryable: false, status: 500 });
    fail(503, 'list-images');
    expect(await failure(() => r.session.listImages())).toMatchObject({
      code: 'CLOUD_UNAVAILABLE',
      retryable: true,
    });
    fail(504, 'list-availability-zones');
    expect(await failure(() => r.session.listZones())).toMatchObject({ code: 'TIMEOUT', retryable: true });
    r.sim.expireTokens();
    fail(502, 'create-token');
    const keystone = await failure(() => r.session.listZones());
    expect(keystone.code).toBe('CLOUD_UNAVAILABLE');
    expect(keystone.message).toContain('Keystone create-token answered 502');
  });

  it('a malformed body says it is not valid JSON', async () => {
    // The shared suite checks the code on Nova's server list; this, the message, on another call.
    r.sim.control.malformBody({ match: 'list-availability-zones' });
    const error = await failure(() => r.session.listZones());
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toContain('not valid JSON');
  });
});

describe('OpenStack connector: launches', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterEach(() => {
    r.sim.control.clearFaults();
    r.sim.control.clearRequests();
  });
  const named = (name: string) =>
    r.sim.control.cloud.vms(r.accountId).filter((vm) => vm.name === name || vm.displayName === name);

  it('returns the server whose create answer was lost at once, and again on retry without a second create', async () => {
    // The shared suite checks there is exactly one server and that launch returned it (after a
    // retryable failure, if need be); OpenStack's launch finds it by its metadata at once.
    const request = launchRequest(r, 'lost-answer');
    r.sim.control.resetConnection({ match: 'create-server', afterHandling: true });
    const [vm] = await r.session.launch(request);
    expect(named('lost-answer').map((v) => v.id)).toEqual([vm?.id]);
    const [again] = await r.session.launch(request);
    expect(again?.id).toBe(vm?.id);
    expect(r.sim.control.count('create-server')).toBe(1);
    await waitFor(r.session, [vm?.id ?? ''], 'running', { interval: 20, timeout: 20_000 });
  });

  it('creates exactly one server when a launch is retried after a reset before the create was handled', async () => {
    const request = launchRequest(r, 'never-arrived');
    r.sim.control.resetConnection({ match: 'create-server' });
    expect((await failure(() => r.session.launch(request))).code).toBe('CLOUD_UNAVAILABLE');
    expect(named('never-arrived')).toHaveLength(0);
    await r.session.launch(request);
    await r.session.launch(request);
    expect(named('never-arrived')).toHaveLength(1);
  });
});

describe('OpenStack connector: quota', () => {
  it('fails QUOTA_EXCEEDED on a launch over the project quota, quoting Nova, and completes later', async () => {
    const r = await rig({
      simulator: {
        accounts: [{ key: 'quota-user', secret: 'quota-user-password', name: 'quota-project', vmLimit: 1 }],
      },
    });
    const request = launchRequest(r, 'over', { count: 2 });
    const error = await failure(() => r.session.launch(request));
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toContain('Quota exceeded');
    expect(r.sim.control.cloud.vms(r.accountId)).toHaveLength(1);
    const account = r.sim.control.cloud.accountByKey('quota-user');
    if (!account) throw new Error('the simulator lost its account');
    account.vmLimit = 2;
    const vms = await r.session.launch(request);
    expect(vms.map((vm) => vm.name)).toEqual(['over-1', 'over-2']);
    expect(r.sim.control.cloud.vms(r.accountId)).toHaveLength(2);
  });
});

describe('OpenStack connector: secrets', () => {
  it('never shows a password or a token in the errors and logs above', () => {
    expect(seen.length).toBeGreaterThan(10);
    expect(tokens.size).toBeGreaterThan(1);
    // The shared suite searches its own errors and logs for passwords, but knows no token.
    const secrets = [...new Set(rigs.map((rig) => rig.credentials.password ?? '')), ...tokens];
    for (const error of seen) expect(findSecretLeaks(error, secrets)).toEqual([]);
    const lines = rigs.flatMap((rig) => rig.logs.map((entry) => JSON.stringify(entry)));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    // The token header is in the debug log, blanked.
    expect(lines.some((line) => line.includes('"x-auth-token":"[REDACTED]"'))).toBe(true);
  });
});
