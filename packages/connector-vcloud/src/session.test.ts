import { randomUUID } from 'node:crypto';
import { ConnectorError, createInstance, type LaunchRequest, waitFor } from '@slipstream/connector-core';
import { captureLogs, findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVcloudConnector } from './connector.js';
import { failure, PUBLIC_KEY, parametersOf, startTarget, type Target } from './testing/fixtures.js';

// The connector against the vCloud Director simulator: what is vCloud's own, beyond the shared
// conformance and fault suites.

const WAIT = { timeout: 30_000, interval: 20 };
const ALICE = { username: 'alice', password: 'alice-password-0123456789' };
const BOB = { username: 'bob', password: 'bob-password-0123456789' };
const CAROL = { username: 'carol', password: 'carol-password-0123456789' };
const DAVE = { username: 'dave', password: 'dave-password-0123456789' };

// Each test makes many calls to the simulator: generous on a loaded machine.
describe('vcloud sessions', { timeout: 60_000 }, () => {
  let target: Target;
  const launchRequest = (overrides: Partial<LaunchRequest> = {}): LaunchRequest => ({
    name: `vcd-${randomUUID().slice(0, 8)}`,
    image: target.sim.templates[0]?.name ?? '',
    size: 'small',
    idempotencyKey: randomUUID(),
    ...overrides,
  });

  /** Running VMs for a user, made in the simulator's model (each a one-VM vApp). */
  const seed = (username: string, count: number, namePrefix: string) => {
    const { cloud } = target.sim.control;
    const account = cloud.accountByKey(username)?.id as string;
    const [zone, image, size] = [cloud.zones[0]?.id, cloud.images[0]?.id, cloud.sizes[0]?.id].map(String) as [
      string,
      string,
      string,
    ];
    cloud.seedVms(account, count, { zone, image, size, namePrefix });
  };

  beforeAll(async () => {
    target = await startTarget({
      sim: {
        accounts: [
          { key: ALICE.username, secret: ALICE.password, vmLimit: 8 },
          { key: BOB.username, secret: BOB.password },
          { key: CAROL.username, secret: CAROL.password },
          { key: DAVE.username, secret: DAVE.password },
        ],
      },
    });
  });
  afterAll(async () => {
    await target.close();
  });
  beforeEach(() => {
    target.sim.control.clearFaults();
    target.sim.control.clearRequests();
  });

  it('lists the catalog’s templates and the configured sizes', async () => {
    const images = await target.session.listImages();
    expect(images.map((image) => image.id).sort()).toEqual(
      target.sim.templates.map((template) => template.id).sort(),
    );
    expect(await target.session.listSizes()).toEqual([
      { id: 'small', name: 'small', cpus: 1, memoryMb: 1024 },
      { id: 'medium', name: 'medium', cpus: 2, memoryMb: 4096 },
      { id: 'large', name: 'large', cpus: 4, memoryMb: 8192 },
    ]);
  });

  it('launches a vApp per VM with the size, the network and the customization, to running, and removes it', async () => {
    const request = launchRequest({
      count: 2,
      size: 'medium',
      sshPublicKey: PUBLIC_KEY,
      userData: '#!/bin/sh\necho hi\n',
    });
    const vms = await target.session.launch(request);
    expect(vms.map((vm) => vm.name)).toEqual([`${request.name}-1`, `${request.name}-2`]);
    for (const vm of vms) expect(vm.id).toMatch(/^vapp-/);
    const running = await waitFor(
      target.session,
      vms.map((vm) => vm.id),
      'running',
      WAIT,
    );
    for (const vm of running) {
      expect(vm).toMatchObject({ rawState: 'POWERED_ON', size: 'medium' });
      expect([...vm.publicIps, ...vm.privateIps]).toHaveLength(1);
    }
    const listed = await target.session.describe();
    for (const vm of vms)
      expect(listed.find((item) => item.id === vm.id)).toMatchObject({ state: 'running', size: 'medium' });
    await target.session.terminate(vms.map((vm) => vm.id));
    expect(await target.session.describe({ ids: vms.map((vm) => vm.id) })).toEqual([]);
    await target.session.terminate(vms.map((vm) => vm.id));
  });

  it('follows the query service’s pages to the end, whatever page size it was asked for', async () => {
    seed(CAROL.username, 300, 'paged');
    const paged = await createInstance(createVcloudConnector({ pageSize: 500 }), {
      instance: 'vcd-paged',
      parameters: parametersOf(target.sim),
      logger: captureLogs().logger,
    });
    try {
      const session = await paged.session(CAROL);
      const vms = await session.describe();
      expect(vms.filter((vm) => vm.name.startsWith('paged-'))).toHaveLength(300);
      expect(new Set(vms.map((vm) => vm.id)).size).toBe(vms.length);
      // 300 VMs in pages the cell caps at 128: three pages, not one of 500.
      expect(await target.sim.control.count('query:vm')).toBeGreaterThanOrEqual(3);
      await session.close?.();
    } finally {
      await paged.close();
    }
  });

  it('describes with the vm query alone, leaving out the VMs inside vApp templates', async () => {
    seed(DAVE.username, 3, 'only');
    const session = await target.instance.session(DAVE);
    try {
      await session.checkCredentials();
      target.sim.control.clearRequests();
      const vms = await session.describe();
      // The VDC's templates each hold a VM, which an unfiltered type=vm query would list too.
      expect(target.sim.templates.length).toBeGreaterThan(0);
      expect(vms.map((vm) => vm.name).sort()).toEqual(['only-1', 'only-2', 'only-3']);
      for (const vm of vms) {
        expect(vm.id).toMatch(/^vapp-/);
        expect([...vm.publicIps, ...vm.privateIps]).toHaveLength(1);
      }
      // One query (and the VDC's lookup), not a request per vApp.
      expect(target.sim.control.count('query:vm')).toBe(1);
      expect(target.sim.control.count('getVApp')).toBe(0);
    } finally {
      await session.close?.();
    }
  });

  it('reads the addresses from the vApps at an API version whose records carry none (37.2)', async () => {
    const older = await createInstance(createVcloudConnector(), {
      instance: 'vcd-37',
      parameters: { ...parametersOf(target.sim), 'api.version': '37.2' },
      logger: captureLogs().logger,
    });
    seed(DAVE.username, 2, 'older');
    const current = await target.instance.session(DAVE);
    try {
      const session = await older.session(DAVE);
      const expected = await current.describe();
      expect(expected.filter((vm) => vm.name.startsWith('older-'))).toHaveLength(2);
      target.sim.control.clearRequests();
      const vms = await session.describe();
      expect(vms.map((vm) => [vm.id, vm.state, vm.privateIps, vm.publicIps]).sort()).toEqual(
        expected.map((vm) => [vm.id, vm.state, vm.privateIps, vm.publicIps]).sort(),
      );
      for (const vm of vms) expect([...vm.publicIps, ...vm.privateIps]).toHaveLength(1);
      expect(target.sim.control.count('query:vm')).toBe(1);
      expect(target.sim.control.count('getVApp')).toBe(expected.length);
      await session.close?.();
    } finally {
      await current.close?.();
      await older.close();
    }
  });

  it('finds the VDC by a filtered orgVdc query, and names the VDCs there are when it is not one', async () => {
    const { logger, entries } = captureLogs();
    const wrong = await createInstance(createVcloudConnector(), {
      instance: 'vcd-wrong-vdc',
      parameters: { ...parametersOf(target.sim), vdc: 'no-such-vdc' },
      logger,
    });
    try {
      const error = await failure(async () => (await wrong.session(DAVE)).describe());
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain('"no-such-vdc"');
      expect((error as Error).message).toContain(`use one of: ${target.sim.vdc}, vdc-2`);
      const urls = entries
        .map((entry) => JSON.stringify(entry))
        .filter((line) => line.includes('type=orgVdc') && line.includes('"type":"request"'));
      expect(urls.some((line) => line.includes('filter=%28name%3D%3Dno-such-vdc%29'))).toBe(true);
    } finally {
      await wrong.close();
    }
  });

  it('pages templates too', async () => {
    const small = await startTarget({ sim: { maxPageSize: 1 } });
    try {
      const images = await small.session.listImages();
      expect(images.length).toBe(small.sim.templates.length);
      expect(await small.sim.control.count('query:vAppTemplate')).toBe(small.sim.templates.length);
    } finally {
      await small.close();
    }
  });

  it('logs in again once when the token expires mid-session', async () => {
    await target.session.describe();
    const logins = await target.sim.control.count('login');
    target.sim.expireTokens();
    await target.session.describe();
    expect(await target.sim.control.count('login')).toBe(logins + 1);
  });

  it('reports a task that fails with its message, naming the vApp left behind', async () => {
    // Only the instantiate fails: work another test left running must not take the failure.
    target.sim.control.cloud.failNextOperations(
      1,
      'Unable to start vApp: no host has room.',
      'instantiateVAppTemplate',
    );
    const request = launchRequest();
    const error = await failure(() => target.session.launch(request));
    expect(error).toMatchObject({ code: 'CLOUD_ERROR' });
    expect((error as Error).message).toMatch(
      /instantiateVAppTemplate task ended in error: .*Unable to start vApp: no host has room\. vApp vapp-\S+ may remain/,
    );
    const left = (await target.session.describe()).filter((vm) => vm.name === request.name);
    expect(left.map((vm) => vm.state)).toEqual(['error']);
    await target.session.terminate(left.map((vm) => vm.id));
  });

  it('leaves one vApp per launch index when an instantiate answer is lost and the launch is retried', async () => {
    const request = launchRequest({ count: 2 });
    target.sim.control.resetConnection({ match: 'instantiateVAppTemplate', afterHandling: true, times: 1 });
    const first = await target.session.launch(request).catch((error: unknown) => error);
    const second = await target.session.launch(request);
    expect(second.map((vm) => vm.name)).toEqual([`${request.name}-1`, `${request.name}-2`]);
    if (Array.isArray(first)) expect(first.map((vm) => vm.id)).toEqual(second.map((vm) => vm.id));
    const mine = (await target.session.describe()).filter((vm) => vm.name.startsWith(request.name));
    expect(mine.map((vm) => vm.id).sort()).toEqual(second.map((vm) => vm.id).sort());
    expect(await target.sim.control.count('instantiateVAppTemplate')).toBe(2);
    await target.session.terminate(second.map((vm) => vm.id));
  });

  it('maps vCloud’s refusals: unknown vApps, another user’s vApp, a taken name, the quota, a wrong password', async () => {
    expect(
      await failure(() => target.session.terminate(['vapp-00000000-0000-4000-8000-000000000001'])),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(() => target.session.terminate(['junk']))).toMatchObject({ code: 'NOT_FOUND' });

    const bob = await target.instance.session(BOB);
    const [bobs] = await bob.launch(launchRequest());
    expect(await failure(() => target.session.stop?.([bobs?.id as string]) as Promise<void>)).toMatchObject({
      code: expect.stringMatching(/^(PERMISSION_DENIED|NOT_FOUND)$/),
    });
    await bob.terminate([bobs?.id as string]);

    const named = launchRequest();
    const [vm] = await target.session.launch(named);
    const taken = await failure(() => target.session.launch({ ...named, idempotencyKey: randomUUID() }));
    expect(taken).toMatchObject({ code: 'INVALID_REQUEST' });
    await target.session.terminate([vm?.id as string]);

    const quota = await failure(() => target.session.launch(launchRequest({ count: 9 })));
    expect(quota).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    const left = (await target.session.describe()).map((item) => item.id);
    if (left.length > 0) await target.session.terminate(left);

    const wrong = await target.instance.session({ username: ALICE.username, password: 'not-the-password' });
    const refused = await failure(() => wrong.checkCredentials());
    expect(refused).toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('ends its vCloud session on close', async () => {
    const session = await target.instance.session(ALICE);
    await session.checkCredentials();
    await session.close?.();
    expect(await target.sim.control.count('logout')).toBe(1);
  });

  it('never shows a password, its Basic value or a token in an error or a log line', async () => {
    const errors: unknown[] = [];
    const wrong = await target.instance.session({
      username: ALICE.username,
      password: 'wrong-password-0123456789',
    });
    errors.push(await failure(() => wrong.describe()));
    target.sim.control.failWithStatus(500, {
      match: 'query:vm',
      message: `Basic ${Buffer.from(`alice@${target.sim.org}:${ALICE.password}`).toString('base64')}`,
    });
    errors.push(await failure(() => target.session.describe()));
    target.sim.control.malformBody({ match: 'query:vm' });
    errors.push(await failure(() => target.session.describe()));
    const secrets = [
      ALICE.password,
      'wrong-password-0123456789',
      Buffer.from(`alice@${target.sim.org}:${ALICE.password}`).toString('base64'),
    ];
    for (const error of errors) {
      expect(ConnectorError.is(error)).toBe(true);
      expect(findSecretLeaks(error, secrets)).toEqual([]);
    }
    expect((errors[2] as Error).message).toContain('not well-formed XML');
    const logged = JSON.stringify(target.logs);
    expect(logged).toContain('"authorization":"[REDACTED]"');
    expect(findSecretLeaks(target.logs, secrets)).toEqual([]);
  });
});

describe('vcloud launches on a cell that answers after the task ended', { timeout: 60_000 }, () => {
  it('reports an instantiate task that had failed already when the answer came', async () => {
    // No boot delay: the instantiate task has ended, in error, when vCloud writes its answer.
    const target = await startTarget({
      sim: { bootDelayMs: 0, accounts: [{ key: 'erin', secret: 'erin-password-0123456789' }] },
    });
    try {
      target.sim.control.cloud.failNextOperations(
        1,
        'Unable to start vApp: no host has room.',
        'instantiateVAppTemplate',
      );
      const name = `vcd-${randomUUID().slice(0, 8)}`;
      const error = await failure(() =>
        target.session.launch({
          name,
          image: target.sim.templates[0]?.name ?? '',
          size: 'small',
          idempotencyKey: randomUUID(),
        }),
      );
      expect((error as Error).message).toMatch(
        /task ended in error: .*no host has room\. vApp vapp-\S+ may remain/,
      );
    } finally {
      await target.close();
    }
  });
});
