import { randomUUID } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import { describeFaults, findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure, faultTarget, startTarget, type Target, UBUNTU } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit): a 503 and a reset on list-instances
// retried, a lasting 429 RATE_LIMITED with retryAfterMs, exactly one instance when the answer to
// create-instance is lost, a body cut short CLOUD_ERROR, a wrong secret AUTH_FAILED, a hanging
// cloud TIMEOUT, and no secret in any error or log line.
describeFaults('exoscale', () => faultTarget());

// Below, only what is Exoscale's own or what the shared suite does not look at: Exoscale's message
// quoted in a 500, a lasting 503 or reset CLOUD_UNAVAILABLE, a short Retry-After waited out,
// redirects, failed operations, expired and revoked API keys, the quota refusal, the messages
// Exoscale and core give (bad JSON, bad signature, timeout), a lost create answer found again
// without a second create, and no secret or signature in any error or log line.
describe('exoscale connector under faults', () => {
  let target: Target;
  const errors: unknown[] = [];
  const caught = async (call: () => Promise<unknown>): Promise<ConnectorError> => {
    const error = await failure(call);
    errors.push(error);
    if (!ConnectorError.is(error)) throw error;
    return error;
  };
  const launchRequest = () => ({
    name: `f-${randomUUID().slice(0, 8)}`,
    image: UBUNTU,
    size: 'standard.micro',
    idempotencyKey: randomUUID(),
  });

  beforeAll(async () => {
    target = await startTarget({
      sim: {
        accounts: [
          { key: 'EXOfaults0123456789abcdef', secret: 'faults-secret-0123456789abcdef', vmLimit: 5 },
        ],
      },
      // Retry-After beyond 200 ms is not waited for: the call fails RATE_LIMITED at once.
      http: { retries: 2, maxRetryAfterMs: 200 },
    });
  });
  afterAll(async () => {
    await target.close();
  });
  beforeEach(() => {
    target.sim.control.clearFaults();
    target.sim.control.clearRequests();
    target.sim.control.restoreKey(target.sim.credentials.key);
  });

  it('maps a 500 to CLOUD_ERROR quoting Exoscale', async () => {
    target.sim.control.failWithStatus(500, {
      match: 'list-instances',
      message: 'Internal failure in ch-gva-2',
    });
    const error = await caught(() => target.session.describe());
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.status).toBe(500);
    expect(error.message).toContain('Internal failure in ch-gva-2');
    expect(error.message).toContain('list-instances');
  });

  it('maps a 503 that persists to CLOUD_UNAVAILABLE, retryable', async () => {
    target.sim.control.failWithStatus(503, { match: 'list-instances', times: Number.POSITIVE_INFINITY });
    const error = await caught(() => target.session.describe());
    expect(error).toMatchObject({ code: 'CLOUD_UNAVAILABLE', retryable: true, status: 503 });
    expect(target.sim.control.count('list-instances')).toBe(3);
  });

  // A Retry-After too long to wait (RATE_LIMITED with retryAfterMs) is the shared suite's.
  it('waits a short Retry-After and succeeds', async () => {
    target.sim.control.rateLimit(0, { match: 'list-ssh-keys' });
    await expect(target.session.checkCredentials()).resolves.toBeUndefined();
    expect(target.sim.control.count('list-ssh-keys')).toBe(2);
  });

  // One reset retried is the shared suite's.
  it('reports CLOUD_UNAVAILABLE when resets persist', async () => {
    target.sim.control.resetConnection({ match: 'list-instances', times: Number.POSITIVE_INFINITY });
    const error = await caught(() => target.session.describe());
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
  });

  it('fails on a redirect instead of reading it as an empty answer', async () => {
    target.sim.control.failWithStatus(302, { match: 'list-instances', message: 'Moved' });
    const error = await caught(() => target.session.describe());
    // Core's table: a redirect means the endpoint is not where the API answers.
    expect(error).toMatchObject({ code: 'CLOUD_ERROR', status: 302, retryable: false });
    expect(error.message).toContain('HTTP 302');
    target.sim.control.failWithStatus(301, { match: 'list-ssh-keys', message: 'Moved' });
    expect((await caught(() => target.session.checkCredentials())).status).toBe(301);
  });

  // CLOUD_ERROR is the shared suite's; this is the message.
  it('says a malformed body is not valid JSON', async () => {
    target.sim.control.malformBody({ match: 'list-instances' });
    const error = await caught(() => target.session.describe());
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('maps a failed create operation to CLOUD_ERROR quoting its message and naming the instance', async () => {
    target.sim.control.failJobs(1, 'Host capacity exhausted');
    const error = await caught(() => target.session.launch(launchRequest()));
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toMatch(/create-instance\) failed: Host capacity exhausted; reason: unknown/);
    expect(error.message).toMatch(/Instance [0-9a-f-]{36} may remain/);
  });

  it('maps expired and revoked API keys to AUTH_FAILED', async () => {
    target.sim.control.expireKey(target.sim.credentials.key);
    const expired = await caught(() => target.session.checkCredentials());
    expect(expired).toMatchObject({ code: 'AUTH_FAILED', status: 403 });
    expect(expired.message).toContain('API key expired');
    target.sim.control.revokeKey(target.sim.credentials.key);
    const revoked = await caught(() => target.session.describe());
    expect(revoked.code).toBe('AUTH_FAILED');
    expect(revoked.message).toContain('API key revoked');
  });

  // AUTH_FAILED is the shared suite's; this is the message Exoscale gives.
  it('quotes Exoscale on a wrong secret', async () => {
    const session = await target.instance.session({
      ...target.sim.credentials,
      secret: 'not-the-secret-at-all',
    });
    const error = await caught(() => session.checkCredentials());
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('Invalid request signature');
  });

  // The shared suite checks that one VM is left and returned; this is that the launch succeeds at
  // once and a retry with the same key finds the instance again, without a second create.
  it('finds the instance whose create answer was lost, without creating again', async () => {
    target.sim.control.resetConnection({ afterHandling: true, match: 'create-instance' });
    const request = launchRequest();
    const [vm] = await target.session.launch(request);
    expect(vm?.name).toBe(request.name);
    const again = await target.session.launch(request);
    expect(again.map((v) => v.id)).toEqual([vm?.id]);
    const named = target.sim.control.cloud.vms(target.account).filter((v) => v.name === request.name);
    expect(named).toHaveLength(1);
    expect(target.sim.control.count('create-instance')).toBe(1);
    await target.session.terminate([vm?.id ?? '']);
  });

  it('maps the quota refusal to QUOTA_EXCEEDED', async () => {
    const error = await caught(() => target.session.launch({ ...launchRequest(), count: 6 }));
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toMatch(/quota/i);
    // Frees the quota for later tests: what this launch created and the VM the failed create left.
    const ours = target.sim.control.cloud.vms(target.account).filter((v) => v.phase !== 'expunging');
    await target.session.terminate(ours.map((v) => v.id));
  });

  // TIMEOUT is the shared suite's; this is the message, naming the request timeout.
  it('says how long it waited when the cloud hangs', async () => {
    const slow = await startTarget({ http: { requestTimeoutMs: 100, retries: 0 } });
    try {
      slow.sim.control.addLatency(1_000, { match: 'list-instances' });
      const error = await caught(() => slow.session.describe());
      expect(error.code).toBe('TIMEOUT');
      expect(error.message).toContain('100 ms');
    } finally {
      await slow.close();
    }
  });

  it('never shows the secret, or a signature, in the errors and logs above (run last)', () => {
    expect(errors.length).toBeGreaterThanOrEqual(10);
    const secrets = [target.sim.credentials.secret, 'not-the-secret-at-all'];
    for (const error of errors) expect(findSecretLeaks(error, secrets)).toEqual([]);
    const logText = JSON.stringify(target.logs);
    expect(target.logs.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logText).not.toContain(secret);
    expect(logText).not.toMatch(/signature=[A-Za-z0-9+/]{20,}/);
    expect(logText).toContain('[REDACTED]');
  });
});
