import { randomUUID } from 'node:crypto';
import { EXOSCALE_CATALOG } from '@slipstream/cloud-simulators/exoscale';
import { ConnectorError, LAUNCH_TAGS, type LaunchRequest } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sshKeyName } from './keypairs.js';

import {
  failure,
  PRIVATE_TEMPLATE,
  PUBLIC_KEY,
  startTarget,
  type Target,
  UBUNTU,
} from './testing/fixtures.js';

const [ubuntu] = EXOSCALE_CATALOG.images;
const micro = EXOSCALE_CATALOG.sizes.find((size) => size.name === 'micro');

describe('launch', () => {
  let target: Target;
  const request = (extra: Partial<LaunchRequest> = {}): LaunchRequest => ({
    name: `l-${randomUUID().slice(0, 8)}`,
    image: UBUNTU,
    size: 'standard.micro',
    idempotencyKey: randomUUID(),
    ...extra,
  });
  const model = (id: string) => target.sim.control.cloud.vm(target.account, id);
  const codeOf = async (call: () => Promise<unknown>) => {
    const error = await failure(call);
    return ConnectorError.is(error) ? { code: error.code, message: error.message } : error;
  };

  beforeAll(async () => {
    target = await startTarget({
      parameters: { 'security.groups': 'web', 'disk.size': 15 },
      sim: {
        accounts: [{ key: 'EXOlaunch0123456789abcdef', secret: 'launch-secret-0123456789', vmLimit: 50 }],
      },
    });
    target.sim.securityGroups.add(target.account, 'web', 'HTTP and SSH');
  });
  afterAll(() => target.close());
  beforeEach(() => {
    target.sim.control.clearFaults();
    target.sim.control.clearRequests();
  });

  it('creates the instance with the template, type, disk, SSH key, user data, groups and labels asked for', async () => {
    const [vm] = await target.session.launch(
      request({ sshPublicKey: PUBLIC_KEY, userData: '#cloud-config\n', tags: { role: 'web' } }),
    );
    expect(vm).toMatchObject({
      state: 'running',
      rawState: 'running',
      image: ubuntu?.id,
      size: micro?.id,
      zone: 'ch-gva-2',
      tags: { role: 'web' },
    });
    const created = model(vm?.id ?? '');
    expect(created).toMatchObject({
      diskGb: 15,
      keyPair: sshKeyName(PUBLIC_KEY),
      userData: Buffer.from('#cloud-config\n').toString('base64'),
      securityGroups: [target.sim.securityGroups.list(target.account).find((g) => g.name === 'web')?.id],
    });
    expect(created?.tags[LAUNCH_TAGS.idempotencyKey]).toBeDefined();
    expect(created?.tags[LAUNCH_TAGS.launchIndex]).toBe('1');
    // The operation was polled, not assumed.
    expect(target.sim.control.count('get-operation')).toBeGreaterThan(0);
  });

  it("raises the disk to the template's size and accepts ids as well as names", async () => {
    const [vm] = await target.session.launch(request({ image: PRIVATE_TEMPLATE, size: micro?.id ?? '' }));
    expect(model(vm?.id ?? '')?.diskGb).toBe(20);
    const [byId] = await target.session.launch(request({ image: ubuntu?.id ?? '' }));
    expect(byId?.image).toBe(ubuntu?.id);
  });

  it('launches count instances named -1, -2 and returns them in order', async () => {
    const vms = await target.session.launch(request({ name: 'pair', count: 2 }));
    expect(vms.map((vm) => vm.name)).toEqual(['pair-1', 'pair-2']);
    expect(vms.map((vm) => model(vm.id)?.tags[LAUNCH_TAGS.launchIndex])).toEqual(['1', '2']);
  });

  it('creates only what is missing when retried after a partial failure', async () => {
    const launch = request({ name: 'trio', count: 3 });
    target.sim.control.failWithStatus(500, { match: 'create-instance', message: 'Internal failure' });
    const first = await codeOf(() => target.session.launch(launch));
    expect(first).toMatchObject({ code: 'CLOUD_ERROR' });
    const partial = target.sim.control.cloud.vms(target.account).filter((vm) => vm.name.startsWith('trio-'));
    expect(partial).toHaveLength(2);
    target.sim.control.clearRequests();
    const vms = await target.session.launch(launch);
    expect(vms.map((vm) => vm.name)).toEqual(['trio-1', 'trio-2', 'trio-3']);
    expect(target.sim.control.count('create-instance')).toBe(1);
    expect(vms.filter((vm) => partial.some((p) => p.id === vm.id))).toHaveLength(2);
  });

  it('returns the same VMs for a retried launch without creating or resolving anything', async () => {
    const launch = request({ sshPublicKey: PUBLIC_KEY });
    const [vm] = await target.session.launch(launch);
    target.sim.control.clearRequests();
    const again = await target.session.launch(launch);
    expect(again.map((v) => v.id)).toEqual([vm?.id]);
    expect(target.sim.control.requests.map((r) => r.operation)).toEqual(['list-instances']);
  });

  it('refuses an idempotency key reused for another launch', async () => {
    const launch = request();
    await target.session.launch(launch);
    const error = await codeOf(() => target.session.launch({ ...launch, name: 'something-else' }));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/already used/) });
  });

  it('refuses what Exoscale cannot do, before creating anything', async () => {
    const before = target.sim.control.cloud.vms(target.account).length;
    expect(await codeOf(() => target.session.launch(request({ zone: 'de-fra-1' })))).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/works in zone ch-gva-2/),
    });
    expect(
      await codeOf(() => target.session.launch(request({ userData: 'x'.repeat(30_000) }))),
    ).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/24 KiB/),
    });
    expect(
      await codeOf(() => target.session.launch(request({ tags: { [LAUNCH_TAGS.launchIndex]: '9' } }))),
    ).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(await codeOf(() => target.session.launch(request({ image: 'Windows 3.11' })))).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/does not exist in zone ch-gva-2/),
    });
    expect(await codeOf(() => target.session.launch(request({ size: 'standard.gigantic' })))).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(target.sim.control.cloud.vms(target.account)).toHaveLength(before);
  });

  it('reports configured security groups that do not exist as CONFIG_INVALID', async () => {
    const other = await startTarget({ parameters: { 'security.groups': 'default,nope' } });
    try {
      const error = await codeOf(() => other.session.launch(request()));
      expect(error).toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/nope.*Existing: default/),
      });
    } finally {
      await other.close();
    }
  });

  it('fails an instance whose operation outlasts operation.timeout.ms, naming it, instead of returning it unfinished', async () => {
    const slow = await startTarget({
      sim: { bootDelayMs: 60_000 },
      parameters: { 'operation.timeout.ms': 1_000 },
    });
    try {
      const error = await failure(() => slow.session.launch(request()));
      expect(ConnectorError.hasCode(error, 'TIMEOUT')).toBe(true);
      expect((error as Error).message).toMatch(/still pending.*Instance [0-9a-f-]{36} may remain/);
      expect(slow.sim.control.count('create-instance')).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
