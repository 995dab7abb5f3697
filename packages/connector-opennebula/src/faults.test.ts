import { randomUUID } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import { describeFaults } from '@slipstream/connector-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure, faultTarget, startTarget, type Target } from './testing/fixtures.js';

// The shared fault suite (@slipstream/connector-testkit): a 503 and a reset on one.vmpool.info
// retried, a lasting 429 RATE_LIMITED with retryAfterMs, exactly the launched VMs when the answer
// to one.template.instantiate is lost, a body cut short CLOUD_ERROR, a wrong password AUTH_FAILED,
// a hanging cloud TIMEOUT, and no secret in any error or log line.
describeFaults('opennebula', () => faultTarget());

// Below, only what is OpenNebula's own: lasting 5xx and resets, a redirect, a body cut short named
// with its method, an instantiate never retried by the transport, disabled accounts.
describe('opennebula connector under faults', { timeout: 60_000 }, () => {
  let target: Target;
  const caught = async (call: () => Promise<unknown>): Promise<ConnectorError> => {
    const error = await failure(call);
    if (!ConnectorError.is(error)) throw error;
    return error;
  };

  beforeAll(async () => {
    target = await startTarget({ http: { retries: 2 } });
  });
  afterAll(async () => {
    await target.close();
  });
  beforeEach(() => {
    target.sim.control.clearFaults();
    target.sim.control.clearRequests();
  });

  it('maps a 503 that persists to CLOUD_UNAVAILABLE, retryable, after the transport’s retries', async () => {
    target.sim.control.failWithStatus(503, { match: 'one.vmpool.info', times: Infinity });
    const error = await caught(() => target.session.describe());
    expect(error).toMatchObject({ code: 'CLOUD_UNAVAILABLE', retryable: true, status: 503 });
    expect(error.message).toContain('one.vmpool.info');
    expect(await target.sim.control.count('one.vmpool.info')).toBe(3);
  });

  it('reports CLOUD_UNAVAILABLE when resets persist', async () => {
    target.sim.control.resetConnection({ match: 'one.user.info', times: Infinity });
    expect(await caught(() => target.session.checkCredentials())).toMatchObject({
      code: 'CLOUD_UNAVAILABLE',
    });
  });

  it('says which call got a body cut short', async () => {
    target.sim.control.malformBody({ match: 'one.templatepool.info' });
    const error = await caught(() => target.session.listImages());
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toMatch(
      /answered one\.templatepool\.info with something that is not an XML-RPC answer: the body is not well-formed XML/,
    );
  });

  it('never lets the transport repeat an instantiate: a lost answer is found by the launch key instead', async () => {
    // A 502 may come after the request went through; only a 503 or 429 says it did not.
    target.sim.control.failWithStatus(502, { match: 'one.template.instantiate' });
    const request = {
      name: `f-${randomUUID().slice(0, 8)}`,
      image: target.sim.templates[0]?.name ?? '',
      size: 'micro',
      idempotencyKey: randomUUID(),
    };
    const error = await caught(() => target.session.launch(request));
    expect(error.code).toBe('CLOUD_UNAVAILABLE');
    expect(await target.sim.control.count('one.template.instantiate')).toBe(1);
    const [vm] = await target.session.launch(request);
    expect(await target.sim.control.count('one.template.instantiate')).toBe(2);
    await target.session.terminate([vm?.id as string]);
  });

  it('refuses a disabled account AUTH_FAILED', async () => {
    target.sim.control.cloud.setAccountStatus(target.sim.credentials.key, 'revoked');
    try {
      expect(await caught(() => target.session.describe())).toMatchObject({ code: 'AUTH_FAILED' });
    } finally {
      target.sim.control.cloud.setAccountStatus(target.sim.credentials.key, 'active');
    }
  });
});
