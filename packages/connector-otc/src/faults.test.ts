import { ConnectorError } from '@slipstream/connector-core';
import { describeFaults, findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultTarget, logText, type Rig, startRig } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit): a 503 and a reset on ECS's
// list-servers-detail retried, a lasting 429 RATE_LIMITED with retryAfterMs, exactly one server
// when the answer to create-server is lost, a body cut short CLOUD_ERROR, a wrong secret
// AUTH_FAILED, a hanging ECS TIMEOUT, and no secret in any error or log line.
//
// With an access key (AK/SK), the sign-in that is OTC's own: every request, IAM's project query
// included, is signed per attempt by this connector and checked by the simulator's API gateway,
// so the suite's wrong secret is a wrong secret key, refused by the gateway (APIGW.0301). An IAM
// user signs in with the OpenStack connector's Keystone code, which its own fault suite runs.
describeFaults('otc (access key)', () => faultTarget('access-key'));

/**
 * Below, only what is OTC's own, with an access key: the API gateway refusing a signed ECS call
 * (a key disabled meanwhile, a project the user has no role on), IAM's project query failing,
 * answering garbage or hanging, and no secret key or signature in any error or log line.
 * Signatures made afresh on each retry, the gateway's clock window and a wrong or unknown key at
 * IAM are in access-key.test.ts.
 */

const rigs: Rig[] = [];
const seen: unknown[] = [];

// At file level, so that the simulators close even when a filter skips the describe blocks below.
afterAll(async () => {
  for (const rig of rigs) await rig.close();
});

async function rig(options: Parameters<typeof startRig>[0] = {}): Promise<Rig> {
  const started = await startRig(options);
  rigs.push(started);
  return started;
}

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

describe('OTC access key: the API gateway in front of ECS', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterEach(() => {
    r.clearFaults();
    r.sim.control.clearRequests();
  });

  it('fails AUTH_FAILED when the access key is disabled meanwhile, without signing again, and works once restored', async () => {
    const session = await r.session('access-key');
    await session.describe();
    r.sim.control.clearRequests();
    r.sim.control.revokeKey(r.sim.user.username);
    try {
      const error = await failure(() => session.describe());
      expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
      expect(error.message).toContain('APIGW.0301');
      // The project id is known by now: the gateway refused ECS itself, and only once.
      expect(r.sim.control.count('list-projects')).toBe(0);
      expect(r.sim.control.count('list-servers-detail')).toBe(1);
    } finally {
      r.sim.control.restoreKey(r.sim.user.username);
    }
    await expect(session.describe()).resolves.toBeInstanceOf(Array);
  });

  it('fails PERMISSION_DENIED, quoting the gateway, in a project the user has no role on', async () => {
    const session = await r.session('access-key', { project: 'f'.repeat(32) });
    const error = await failure(() => session.describe());
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', status: 403 });
    expect(error.message).toContain('APIGW.0302');
  });
});

describe("OTC access key: IAM's project query", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterEach(() => {
    r.clearFaults();
    r.sim.control.clearRequests();
  });

  it('does not remember a failed query: IAM unavailable fails the call, the next one asks again and works', async () => {
    const session = await r.session('access-key');
    r.sim.control.failWithStatus(503, { match: 'list-projects', times: Number.POSITIVE_INFINITY });
    const error = await failure(() => session.describe());
    expect(error).toMatchObject({ code: 'CLOUD_UNAVAILABLE', retryable: true, status: 503 });
    expect(r.sim.control.count('list-servers-detail')).toBe(0);
    r.clearFaults();
    r.sim.control.clearRequests();
    await expect(session.describe()).resolves.toBeInstanceOf(Array);
    expect(r.sim.control.count('list-projects')).toBe(1);
  });

  it('fails CLOUD_ERROR on an answer cut short, not as an unknown project', async () => {
    const session = await r.session('access-key');
    r.sim.control.malformBody({ match: 'list-projects' });
    const error = await failure(() => session.describe());
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toContain('not valid JSON');
    expect(r.sim.control.count('list-servers-detail')).toBe(0);
  });

  it('fails TIMEOUT when IAM does not answer in time', async () => {
    // The query goes through the instance's transport, so its request timeout holds.
    const impatient = await rig({ http: { requestTimeoutMs: 500, retries: 0 } });
    impatient.sim.control.addLatency(10_000, { match: 'list-projects', times: Number.POSITIVE_INFINITY });
    const session = await impatient.session('access-key');
    const error = await failure(() => session.describe());
    expect(error.code).toBe('TIMEOUT');
  });
});

describe('OTC access key: secrets', () => {
  it('never shows a secret key or a signature in the errors and logs above', () => {
    expect(seen.length).toBeGreaterThanOrEqual(5);
    const signatures = rigs.flatMap((each) =>
      each.authorizations.map((header) => /Signature=([0-9a-f]{64})/.exec(header)?.[1] ?? ''),
    );
    expect(signatures.filter((signature) => signature !== '').length).toBeGreaterThan(0);
    const secrets = [
      ...new Set([...rigs.map((each) => each.sim.secretKey), ...signatures.filter((s) => s !== '')]),
    ];
    for (const error of seen) expect(findSecretLeaks(error, secrets)).toEqual([]);
    const logged = rigs.map((each) => logText(each.logs)).join('\n');
    expect(logged).not.toBe('');
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});
