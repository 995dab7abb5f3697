import { randomUUID } from 'node:crypto';
import {
  ConnectorError,
  createHttpTransport,
  createInstance,
  type LaunchRequest,
  WireReader,
  waitFor,
} from '@slipstream/connector-core';
import { captureLogs, findSecretLeaks } from '@slipstream/connector-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenNebulaClient } from './client.js';
import { createOpenNebulaConnector } from './connector.js';
import { OPENNEBULA_LCM_STATES, OPENNEBULA_STATES, OPENNEBULA_VM_STATES } from './states.js';
import {
  credentialsOf,
  failure,
  PUBLIC_KEY,
  parametersOf,
  startTarget,
  type Target,
} from './testing/fixtures.js';
import { objectOf } from './wire.js';

// The connector against the OpenNebula simulator: what is OpenNebula's own, beyond the shared
// conformance suite.

const WAIT = { timeout: 30_000, interval: 20 };

// Each test makes many calls to the simulator: generous on a loaded machine.
describe('opennebula sessions', { timeout: 60_000 }, () => {
  let target: Target;
  const launchRequest = (overrides: Partial<LaunchRequest> = {}): LaunchRequest => ({
    name: `one-${randomUUID().slice(0, 8)}`,
    image: target.sim.templates[0]?.name ?? '',
    size: 'small',
    idempotencyKey: randomUUID(),
    ...overrides,
  });

  beforeAll(async () => {
    target = await startTarget({
      sim: {
        accounts: [
          { key: 'alice', secret: 'alice-password-0123456789', vmLimit: 12 },
          { key: 'bob', secret: 'bob-password-0123456789' },
        ],
      },
    });
  });
  afterAll(async () => {
    await target.close();
  });

  it('instantiates with the size, a NIC per network, the template’s CONTEXT under ours and the launch key', async () => {
    const request = launchRequest({
      sshPublicKey: PUBLIC_KEY,
      userData: '#!/bin/sh\necho hi\n',
      size: 'medium',
    });
    const [vm] = await target.session.launch(request);
    // What oned keeps of the VM, read as a client would.
    const http = createHttpTransport();
    try {
      const client = new OpenNebulaClient(http, target.sim.rpcUrl, {
        username: target.sim.credentials.key,
        password: target.sim.credentials.secret,
      });
      const body = new WireReader(
        objectOf(await client.document('one.vm.info', [Number(vm?.id)]), 'VM', 'one.vm.info'),
      );
      const template = body.object('TEMPLATE');
      expect([template?.string('CPU'), template?.string('VCPU'), template?.string('MEMORY')]).toEqual([
        '1',
        '2',
        '4096',
      ]);
      expect(template?.list('NIC').map((nic) => (nic as { NETWORK?: string }).NETWORK)).toEqual([
        'public',
        'private',
      ]);
      const context = template?.strings('CONTEXT') ?? {};
      // NETWORK="YES" survives oned replacing the whole CONTEXT: it was sent again.
      expect(context).toMatchObject({
        NETWORK: 'YES',
        SSH_PUBLIC_KEY: PUBLIC_KEY,
        START_SCRIPT_BASE64: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
      });
      expect(body.strings('USER_TEMPLATE')).toMatchObject({
        SLIPSTREAM_IDEMPOTENCY_KEY: request.idempotencyKey,
        SLIPSTREAM_LAUNCH_INDEX: '1',
      });
    } finally {
      await http.close();
    }
    await target.session.terminate([vm?.id as string]);
  });

  it('keeps the template’s own CONTEXT, which oned would drop when ours replaces it', async () => {
    const http = createHttpTransport();
    const client = new OpenNebulaClient(http, target.sim.rpcUrl, {
      username: target.sim.credentials.key,
      password: target.sim.credentials.secret,
    });
    const contextOf = async (vmId: number) =>
      new WireReader(objectOf(await client.document('one.vm.info', [vmId]), 'VM', 'one.vm.info'))
        .object('TEMPLATE')
        ?.strings('CONTEXT') ?? {};
    try {
      // A template of the user's own whose CONTEXT has more than the simulator's templates have:
      // the private copy a persistent instantiate makes.
      const helper = await client.id('one.template.instantiate', [
        target.sim.templates[0]?.id ?? 0,
        `ctx-${randomUUID().slice(0, 8)}`,
        false,
        'CONTEXT=[NETWORK="YES", SSH_PUBLIC_KEY="$USER[SSH_PUBLIC_KEY]", TOKEN="YES", REPORT_READY="YES"]',
        true,
      ]);
      const copy = new WireReader(
        objectOf(await client.document('one.vm.info', [helper]), 'VM', 'one.vm.info'),
      )
        .object('TEMPLATE')
        ?.string('TEMPLATE_ID');
      await target.session.terminate([String(helper)]);
      expect(copy).toBeDefined();

      const [vm] = await target.session.launch(
        launchRequest({ image: copy as string, sshPublicKey: PUBLIC_KEY, userData: 'echo hi' }),
      );
      expect(await contextOf(Number(vm?.id))).toMatchObject({
        TOKEN: 'YES',
        REPORT_READY: 'YES',
        NETWORK: 'YES',
        SSH_PUBLIC_KEY: PUBLIC_KEY,
        // oned puts the VM's name in place of the $NAME sent.
        SET_HOSTNAME: vm?.name,
        START_SCRIPT_BASE64: Buffer.from('echo hi').toString('base64'),
      });
      await target.session.terminate([vm?.id as string]);
    } finally {
      await http.close();
    }
  });

  it('lists the templates the user may use, the configured sizes and no zones', async () => {
    const images = await target.session.listImages();
    expect(images.map((image) => image.name)).toEqual(
      expect.arrayContaining(target.sim.templates.map((t) => t.name)),
    );
    expect(images.map((image) => image.id)).toEqual(
      expect.arrayContaining(target.sim.templates.map((t) => String(t.id))),
    );
    expect(await target.session.listSizes()).toEqual([
      { id: 'micro', name: 'micro', cpus: 1, memoryMb: 512 },
      { id: 'small', name: 'small', cpus: 1, memoryMb: 2048 },
      { id: 'medium', name: 'medium', cpus: 2, memoryMb: 4096 },
      { id: 'large', name: 'large', cpus: 4, memoryMb: 8192 },
    ]);
    expect(await target.session.listZones()).toEqual([]);
  });

  it('launches from a template by name with the size, both networks and the key, to running', async () => {
    const request = launchRequest({
      count: 2,
      sshPublicKey: PUBLIC_KEY,
      userData: '#!/bin/sh\necho hi\n',
      size: 'medium',
    });
    const vms = await target.session.launch(request);
    expect(vms.map((vm) => vm.name)).toEqual([`${request.name}-1`, `${request.name}-2`]);
    const running = await waitFor(
      target.session,
      vms.map((vm) => vm.id),
      'running',
      WAIT,
    );
    for (const vm of running) {
      expect(vm).toMatchObject({
        rawState: 'RUNNING',
        size: 'medium',
        image: String(target.sim.templates[0]?.id),
      });
      expect(vm.publicIps).toHaveLength(1);
      expect(vm.privateIps).toHaveLength(1);
    }
    await target.session.terminate(vms.map((vm) => vm.id));
    const done = await waitFor(
      target.session,
      vms.map((vm) => vm.id),
      'terminated',
      WAIT,
    );
    expect(done.map((vm) => vm.rawState)).toEqual(['DONE', 'DONE']);
    // DONE VMs leave the pool listing.
    const listed = (await target.session.describe()).map((vm) => vm.id);
    for (const vm of vms) expect(listed).not.toContain(vm.id);
  });

  it('reads more than one page of VMs, each once', async () => {
    const paged = await createInstance(createOpenNebulaConnector({ pageSize: 5 }), {
      instance: 'one-paged',
      parameters: parametersOf(target.sim),
      logger: captureLogs().logger,
    });
    try {
      const { cloud } = target.sim.control;
      const account = cloud.accountByKey('bob')?.id as string;
      const [zone, image, size] = [cloud.zones[0]?.id, cloud.images[0]?.id, cloud.sizes[0]?.id].map(
        String,
      ) as [string, string, string];
      const seeded = cloud.seedVms(account, 17, { zone, image, size, namePrefix: 'paged' });
      const session = await paged.session({ username: 'bob', password: 'bob-password-0123456789' });
      target.sim.control.clearRequests();
      const vms = await session.describe();
      expect(vms.filter((vm) => vm.name.startsWith('paged-'))).toHaveLength(seeded.length);
      expect(new Set(vms.map((vm) => vm.id)).size).toBe(vms.length);
      expect(await target.sim.control.count('one.vmpool.info')).toBeGreaterThanOrEqual(4);
    } finally {
      await paged.close();
    }
  });

  it('shows every row of the state table through the wire', async () => {
    const [vm] = await target.session.launch(launchRequest());
    const id = Number(vm?.id);
    for (const [name, expected] of Object.entries(OPENNEBULA_STATES)) {
      const lcm = OPENNEBULA_LCM_STATES.indexOf(name);
      const state = lcm >= 0 ? 3 : OPENNEBULA_VM_STATES.indexOf(name);
      target.sim.setVmState(id, state, Math.max(lcm, 0));
      const [seen] = await target.session.describe({ ids: [String(id)] });
      expect([seen?.rawState, seen?.state]).toEqual([name, expected]);
    }
    // The last row: UNKNOWN (the host stopped answering) is not in the table, and is unknown.
    target.sim.setVmState(id, 3, OPENNEBULA_LCM_STATES.indexOf('UNKNOWN'));
    const [lost] = await target.session.describe({ ids: [String(id)] });
    expect([lost?.rawState, lost?.state]).toEqual(['UNKNOWN', 'unknown']);
    target.sim.setVmState(id, 3, 3);
    await target.session.terminate([String(id)]);
  });

  it('leaves one VM per launch index when an instantiate answer is lost and the launch is retried', async () => {
    const request = launchRequest({ count: 3 });
    target.sim.control.resetConnection({ match: 'one.template.instantiate', afterHandling: true, times: 1 });
    const first = await target.session.launch(request).catch((error: unknown) => error);
    const second = await target.session.launch(request);
    expect(second.map((vm) => vm.name)).toEqual([1, 2, 3].map((index) => `${request.name}-${index}`));
    if (Array.isArray(first)) expect(first.map((vm) => vm.id)).toEqual(second.map((vm) => vm.id));
    const mine = (await target.session.describe()).filter((vm) => vm.name.startsWith(request.name));
    expect(mine.map((vm) => vm.id).sort()).toEqual(second.map((vm) => vm.id).sort());
    await target.session.terminate(second.map((vm) => vm.id));
  });

  it('stops a VM still booting once it runs, and starts it again', async () => {
    const [vm] = await target.session.launch(launchRequest());
    const id = vm?.id as string;
    await target.session.stop?.([id]);
    await waitFor(target.session, [id], 'stopped', WAIT);
    await target.session.stop?.([id]);
    await target.session.start?.([id]);
    await waitFor(target.session, [id], 'running', WAIT);
    await target.session.terminate([id]);
    await target.session.terminate([id]);
    expect(await failure(async () => target.session.start?.([id]))).toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('maps oned refusals: unknown ids, another user’s VM, the quota, a wrong password', async () => {
    expect(await failure(() => target.session.terminate(['987654']))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(() => target.session.terminate(['vm-1']))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await target.session.describe({ ids: ['987654', 'junk'] })).toEqual([]);

    const bob = await target.instance.session({ username: 'bob', password: 'bob-password-0123456789' });
    const [bobs] = await bob.launch(launchRequest());
    const denied = await failure(() => target.session.terminate([bobs?.id as string]));
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED' });
    await bob.terminate([bobs?.id as string]);

    const quota = await failure(() => target.session.launch(launchRequest({ count: 13 })));
    expect(quota).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect((quota as Error).message).toContain('one.template.instantiate');
    // The VMs made before the quota was reached are left to a retry or to terminate.
    const left = (await target.session.describe()).filter((vm) => vm.state !== 'terminating');
    await target.session.terminate(left.map((vm) => vm.id));

    const wrong = await target.instance.session({ username: 'alice', password: 'not-the-password' });
    const refused = await failure(() => wrong.checkCredentials());
    expect(refused).toMatchObject({ code: 'AUTH_FAILED' });
    expect((refused as Error).message).toContain('one.user.info');
  });

  it('never shows a password or session string in an error or a log line', async () => {
    const errors: unknown[] = [];
    const wrong = await target.instance.session({ username: 'alice', password: 'wrong-password-0123456789' });
    errors.push(await failure(() => wrong.describe()));
    target.sim.control.failWithStatus(500, {
      match: 'one.vmpool.info',
      message: `alice:${credentialsOf(target.sim).password}`,
    });
    errors.push(await failure(() => target.session.describe()));
    target.sim.control.malformBody({ match: 'one.vmpool.info' });
    errors.push(await failure(() => target.session.describe()));
    const secrets = [
      credentialsOf(target.sim).password as string,
      `alice:${credentialsOf(target.sim).password}`,
      'wrong-password-0123456789',
      'alice:wrong-password-0123456789',
    ];
    for (const error of errors) {
      expect(ConnectorError.is(error)).toBe(true);
      expect(findSecretLeaks(error, secrets)).toEqual([]);
    }
    expect(target.logs.length).toBeGreaterThan(0);
    expect(findSecretLeaks(target.logs, secrets)).toEqual([]);
  });
});
