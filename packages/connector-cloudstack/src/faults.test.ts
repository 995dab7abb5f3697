import { ConnectorError } from '@slipstream/connector-core';
import { describeFaults, findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultTarget, launchRequest, type Rig, startRig } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit): a 503 and a reset on listVirtualMachines
// retried, a lasting 429 RATE_LIMITED with retryAfterMs, exactly one VM when the answer to
// deployVirtualMachine is lost, a body cut short CLOUD_ERROR, a wrong secret AUTH_FAILED, a hanging
// cloud TIMEOUT, and no secret in any error or log line.
describeFaults('cloudstack', () => faultTarget());

/**
 * Below, only what is CloudStack's own or what the shared suite does not look at: a 502 retried on
 * reads but never on a deploy, a lasting 503 and CloudStack's 530 with its cserrorcode, a short
 * Retry-After waited out, how a launch adopts the VM whose deploy answer was lost (and what it does
 * when the deploy never arrived), failed asynchronous jobs, expired and revoked keys, the messages
 * CloudStack and core give (bad JSON, bad signature, timeout), a timed-out read retried, and no
 * secret or request signature in any error or log line.
 */

const seen: unknown[] = [];
const rigs: Rig[] = [];

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

describe('CloudStack connector under injected faults', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
    rigs.push(rig);
  });
  afterEach(() => {
    rig.sim.control.clearFaults();
    rig.sim.control.clearRequests();
  });
  const control = () => rig.sim.control;
  const vmsNamed = (name: string) =>
    control()
      .cloud.vms(rig.accountId)
      .filter((vm) => vm.displayName === name);

  // A single 503 on listVirtualMachines is the shared suite's; a 502 (twice) is not.
  it('retries an idempotent call on a transient 502, and succeeds', async () => {
    control().failWithStatus(502, { match: 'listVirtualMachines', times: 2 });
    await rig.session.describe();
    expect(control().count('listVirtualMachines')).toBe(3);
  });

  it('ends a lasting 503 in CLOUD_UNAVAILABLE, a CloudStack 530 in CLOUD_ERROR without retrying', async () => {
    control().failWithStatus(503, { match: 'listZones', times: Number.POSITIVE_INFINITY });
    const unavailable = await failure(() => rig.session.listZones());
    expect(unavailable.code).toBe('CLOUD_UNAVAILABLE');
    expect(unavailable.retryable).toBe(true);
    expect(control().count('listZones')).toBe(4);
    control().clearRequests();
    control().failWithStatus(530, {
      match: 'listServiceOfferings',
      message: 'Internal error executing command',
    });
    const internal = await failure(() => rig.session.listSizes());
    expect(internal.code).toBe('CLOUD_ERROR');
    expect(internal.message).toBe(
      'CloudStack listServiceOfferings failed with error 530, cserrorcode 9999: Internal error executing command',
    );
    expect(control().count('listServiceOfferings')).toBe(1);
  });

  it('does not repeat a deploy after a 502 (it may have been forwarded)', async () => {
    control().failWithStatus(502, { match: 'deployVirtualMachine' });
    const error = await failure(() => rig.session.launch(launchRequest('gateway')));
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(control().count('deployVirtualMachine')).toBe(1);
  });

  // A Retry-After too long to wait (RATE_LIMITED with retryAfterMs) is the shared suite's.
  it('honours a short 429 Retry-After, and succeeds', async () => {
    control().rateLimit(0, { match: 'listZones' });
    expect(await rig.session.listZones()).toHaveLength(2);
    expect(control().count('listZones')).toBe(2);
  });

  // The shared suite checks that one VM is left and returned; this is how CloudStack gets there.
  it('adopts the VM whose deploy answer was lost: no second deploy, its job waited for, then tagged', async () => {
    const request = launchRequest('lost-answer');
    control().resetConnection({ match: 'deployVirtualMachine', afterHandling: true });
    // Core looks again after the lost answer: the launch finds the VM by its name and succeeds.
    const [vm] = await rig.session.launch(request);
    expect(vmsNamed('lost-answer').map((v) => v.id)).toEqual([vm?.id]);
    expect(control().count('deployVirtualMachine')).toBe(1);
    // The launch waited for the adopted VM's deployment job.
    expect(vm?.state).toBe('running');
    expect(rig.logs.map((entry) => entry.message)).toContain(
      'cloudstack launch adopts an untagged VM of the same name',
    );
    // Adopted and tagged: a retry finds it by its idempotency tag.
    expect(control().cloud.vm(rig.accountId, vm?.id ?? '')?.tags).toMatchObject({
      'slipstream-idempotency-key': request.idempotencyKey,
      'slipstream-launch-index': '1',
    });
    const [again] = await rig.session.launch(request);
    expect(again?.id).toBe(vm?.id);
    expect(control().count('deployVirtualMachine')).toBe(1);
  });

  it('creates exactly one VM when a launch is retried after a reset before the deploy was handled', async () => {
    const request = launchRequest('never-arrived');
    control().resetConnection({ match: 'deployVirtualMachine' });
    await failure(() => rig.session.launch(request));
    expect(vmsNamed('never-arrived')).toHaveLength(0);
    await rig.session.launch(request);
    expect(vmsNamed('never-arrived')).toHaveLength(1);
  });

  // CLOUD_ERROR for a listing cut short is the shared suite's; this is the message, on another command.
  it('says a malformed body is not valid JSON', async () => {
    control().malformBody({ match: 'listZones' });
    const error = await failure(() => rig.session.listZones());
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toContain('not valid JSON');
  });

  it('ends a failing asynchronous job in CLOUD_ERROR quoting the job error', async () => {
    control().failJobs(1, 'Unable to start VM instance: no host available');
    const error = await failure(() => rig.session.launch(launchRequest('failing-job')));
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toContain('failed with error 530: Unable to start VM instance: no host available');
  });

  it('ends an expired or revoked key in AUTH_FAILED', async () => {
    control().expireKey(rig.sim.credentials.key);
    expect((await failure(() => rig.session.checkCredentials())).code).toBe('AUTH_FAILED');
    control().restoreKey(rig.sim.credentials.key);
    control().revokeKey(rig.sim.credentials.key);
    expect((await failure(() => rig.session.describe())).code).toBe('AUTH_FAILED');
    control().restoreKey(rig.sim.credentials.key);
    await rig.session.checkCredentials();
  });

  // AUTH_FAILED is the shared suite's; this is the message CloudStack's 401 gives.
  it('quotes CloudStack on a wrong secret', async () => {
    const session = await rig.instance.session({
      key: rig.sim.credentials.key,
      secret: 'wrong-secret-value',
    });
    const error = await failure(() => session.checkCredentials());
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('unable to verify user credentials and/or request signature');
  });
});

describe('CloudStack connector against a slow cloud', () => {
  // TIMEOUT is the shared suite's; this is the message, naming the request timeout.
  it('says how long it waited when the cloud hangs', async () => {
    const rig = await startRig({ http: { requestTimeoutMs: 150, retries: 0 } });
    rigs.push(rig);
    rig.sim.control.addLatency(5_000, { match: 'listZones' });
    const error = await failure(() => rig.session.listZones());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('did not complete within 150 ms');
  });

  it('retries an idempotent call that timed out once, and succeeds', async () => {
    // Wide enough that a loaded machine's retry does not time out too: only the held answer may.
    const rig = await startRig({ http: { requestTimeoutMs: 1000 } });
    rigs.push(rig);
    rig.sim.control.addLatency(5_000, { match: 'listZones' });
    expect(await rig.session.listZones()).toHaveLength(2);
    // The held-back request is logged by the simulator only once answered: the transport says it retried.
    const retries = rig.logs.filter(
      (entry) => (entry.fields.http as { type?: string; code?: string } | undefined)?.type === 'retry',
    );
    expect(retries.map((entry) => (entry.fields.http as { code: string }).code)).toEqual(['TIMEOUT']);
  });
});

describe('CloudStack connector secrets', () => {
  it('never shows the secret key or a signature in the errors and logs above', () => {
    // One error from each failing call above (the shared suite checks its own errors and logs).
    expect(seen.length).toBeGreaterThanOrEqual(10);
    const secrets = [...new Set(rigs.map((rig) => rig.sim.credentials.secret)), 'wrong-secret-value'];
    for (const error of seen) expect(findSecretLeaks(error, secrets)).toEqual([]);
    const lines = rigs.flatMap((rig) => rig.logs.map((entry) => JSON.stringify(entry)));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
      // The transport logs the URL it was given; each attempt is signed after that.
      expect(line).not.toMatch(/signature=/i);
    }
    const messages = seen.map((error) => `${(error as Error).message} ${JSON.stringify(error)}`);
    for (const message of messages) expect(message).not.toMatch(/signature=(?!\[REDACTED\])/i);
    // The logged URLs still say which command was called with which parameters.
    expect(lines.some((line) => /command=listZones&available=true&page=1/.test(line))).toBe(true);
  });
});
