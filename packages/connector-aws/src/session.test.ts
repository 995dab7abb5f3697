import { randomUUID } from 'node:crypto';
import { EC2_IMAGES, EC2_INSTANCE_TYPES } from '@slipstream/cloud-simulators/ec2';
import { ConnectorError, createInstance, type LaunchRequest } from '@slipstream/connector-core';
import { captureLogs, findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// The first session imports the AWS SDK (about a second alone, many on a loaded machine).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

import { createAwsConnector } from './connector.js';
import {
  credentialsOf,
  failure,
  PUBLIC_KEY,
  parametersOf,
  startTarget,
  type Target,
} from './testing/fixtures.js';

// The session against the EC2 simulator: paging, idempotent launches, throttling and EC2's
// errors, and no secret anywhere. The simulator checks every request's Signature Version 4.

const AMAZON_LINUX = EC2_IMAGES[0]?.id as string;
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEFaSessionTokenForTests0123456789';

const launchRequest = (overrides: Partial<LaunchRequest> = {}): LaunchRequest => ({
  name: `web-${randomUUID().slice(0, 8)}`,
  image: AMAZON_LINUX,
  size: 't3.micro',
  idempotencyKey: randomUUID(),
  ...overrides,
});

describe('aws session', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({
      sim: {
        accounts: [
          {
            key: 'AKIATESTSESSION00001',
            secret: 'session-test-secret-key-0123456789abcdef',
            sessionToken: SESSION_TOKEN,
            vmLimit: 40,
          },
        ],
      },
      http: { retries: 3 },
    });
  });
  afterAll(() => target.close());
  afterEach(() => target.sim.control.clearFaults());

  it('reads instances, images and instance types page by page to the end', async () => {
    const { logger } = captureLogs();
    const paged = await createInstance(createAwsConnector({ pageSize: 5 }), {
      instance: 'aws-paged',
      parameters: parametersOf(target.sim),
      logger,
    });
    try {
      const session = await paged.session(credentialsOf(target.sim));
      const launched = await session.launch(launchRequest({ count: 12 }));
      expect(launched).toHaveLength(12);
      target.sim.control.clearRequests();
      const described = await session.describe();
      expect(described.map((vm) => vm.id)).toEqual(expect.arrayContaining(launched.map((vm) => vm.id)));
      expect(await target.sim.control.count('DescribeInstances')).toBeGreaterThanOrEqual(3);
      const images = await session.listImages();
      expect(images.map((image) => image.id).sort()).toEqual(EC2_IMAGES.map((image) => image.id).sort());
      expect(await target.sim.control.count('DescribeImages')).toBeGreaterThanOrEqual(2);
      const sizes = await session.listSizes();
      expect(sizes.map((size) => size.id).sort()).toEqual(EC2_INSTANCE_TYPES.map((size) => size.id).sort());
      expect(await target.sim.control.count('DescribeInstanceTypes')).toBeGreaterThanOrEqual(2);
      expect(sizes.find((size) => size.id === 't3.micro')).toMatchObject({ cpus: 2, memoryMb: 1024 });
      await session.terminate(launched.map((vm) => vm.id));
    } finally {
      await paged.close();
    }
  });

  it('names several instances name-1, name-2… and tags them, hiding its own tags', async () => {
    const request = launchRequest({
      count: 3,
      tags: { team: 'web' },
      zone: 'us-east-1b',
      sshPublicKey: PUBLIC_KEY,
    });
    const vms = await target.session.launch(request);
    expect(vms.map((vm) => vm.name)).toEqual([`${request.name}-1`, `${request.name}-2`, `${request.name}-3`]);
    const described = await target.session.describe({ ids: vms.map((vm) => vm.id) });
    for (const vm of described) {
      expect(vm.tags).toEqual({ team: 'web' });
      expect(vm.zone).toBe('us-east-1b');
      expect(vm.privateIps).toHaveLength(1);
    }
    await target.session.terminate(vms.map((vm) => vm.id));
  });

  it('leaves exactly count instances when the launch answer is lost and the launch is repeated', async () => {
    const request = launchRequest({ count: 2 });
    target.sim.control.resetConnection({ match: 'RunInstances', afterHandling: true, times: 1 });
    const first = await target.session.launch(request).catch((error: unknown) => error);
    const second = await target.session.launch(request);
    expect(second).toHaveLength(2);
    if (!(first instanceof Error))
      expect((first as { id: string }[]).map((vm) => vm.id)).toEqual(second.map((vm) => vm.id));
    const all = await target.session.describe();
    const launched = all.filter((vm) => vm.name.startsWith(request.name));
    expect(launched.map((vm) => vm.id).sort()).toEqual(second.map((vm) => vm.id).sort());
    await target.session.terminate(second.map((vm) => vm.id));
  });

  it('refuses the same idempotency key for a different launch, saying so', async () => {
    const request = launchRequest();
    const [vm] = await target.session.launch(request);
    const error = await failure(() => target.session.launch({ ...request, size: 't3.small' }));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((error as Error).message).toMatch(/IdempotentParameterMismatch.*idempotency key was already used/);
    await target.session.terminate([vm?.id as string]);
  });

  it('recovers from throttling: RequestLimitExceeded retried with backoff by the transport', async () => {
    target.sim.control.rateLimit(1, { match: 'DescribeInstances', times: 2 });
    target.sim.control.clearRequests();
    await target.session.describe();
    expect(await target.sim.control.count('DescribeInstances')).toBe(3);
  });

  it('maps EC2 errors: quota, unknown ids, malformed ids, a forgotten terminated instance', async () => {
    expect(await failure(() => target.session.launch(launchRequest({ count: 41 })))).toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
    expect(await failure(async () => target.session.stop?.(['i-0123456789abcdef0']))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(() => target.session.terminate(['not-an-id']))).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await failure(() => target.session.launch(launchRequest({ image: 'ami-00000000000000000' }))),
    ).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(await target.session.describe({ ids: ['i-0123456789abcdef0', 'junk'] })).toEqual([]);
  });

  it('refuses a wrong secret and a missing session token AUTH_FAILED', async () => {
    const { credentials } = target.sim;
    for (const wrong of [
      { key: credentials.key, secret: `${credentials.secret}x`, 'session.token': SESSION_TOKEN },
      { key: credentials.key, secret: credentials.secret },
    ]) {
      const session = await target.instance.session(wrong);
      expect(await failure(() => session.checkCredentials())).toMatchObject({ code: 'AUTH_FAILED' });
    }
  });

  it('never shows the access key, the secret key, the session token or a signature in an error or a log line', async () => {
    const errors: unknown[] = [];
    const session = await target.instance.session({
      ...credentialsOf(target.sim),
      secret: 'wrong-secret-key-0123456789',
    });
    errors.push(await failure(() => session.describe()));
    target.sim.control.failWithStatus(500, {
      match: 'DescribeInstances',
      message: `${target.sim.credentials.secret} ${SESSION_TOKEN}`,
    });
    errors.push(await failure(() => target.session.describe()));
    const secrets = [
      target.sim.credentials.key,
      target.sim.credentials.secret,
      SESSION_TOKEN,
      'wrong-secret-key-0123456789',
    ];
    // A Signature Version 4 signature is 64 hexadecimal digits.
    const signature = /[0-9a-f]{64}/;
    for (const error of errors) {
      expect(ConnectorError.is(error)).toBe(true);
      expect(findSecretLeaks(error, secrets)).toEqual([]);
      expect(String((error as Error).message)).not.toMatch(signature);
    }
    // The debug lines show each request's headers: the body's hash may show, its signature may not.
    const logged = JSON.stringify(target.logs).replace(/"x-amz-content-sha256":"[0-9a-f]{64}"/g, '');
    expect(logged).toContain('"authorization":"[REDACTED]"');
    expect(logged).not.toMatch(signature);
    expect(findSecretLeaks(target.logs, secrets)).toEqual([]);
  });
});
