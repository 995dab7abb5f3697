import { ConnectorError, LAUNCH_TAGS, waitFor } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPairName } from './keypairs.js';
import {
  DEBIAN,
  launchRequest,
  MEDIUM,
  type Rig,
  SSH_KEY,
  startRig,
  UBUNTU,
  ZONE_A,
  ZONE_B,
} from './testing/fixtures.js';
import { LEGACY_LAUNCH_TAGS } from './vm.js';

describe('CloudStack launch', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({
      simulator: { accounts: [{ key: 'launch-key', secret: 'launch-secret', name: 'alice', vmLimit: 50 }] },
      parameters: { template: DEBIAN.name, 'service.offering': MEDIUM.name },
    });
  });
  afterAll(() => rig.close());
  const modelVm = (id: string) => rig.sim.control.cloud.vm(rig.accountId, id);

  it('launches count VMs named name-1…name-n, tagged, running when it returns', async () => {
    const request = launchRequest('batch', { count: 3, tags: { env: 'test', owner: 'alice' } });
    const vms = await rig.session.launch(request);
    expect(vms.map((vm) => vm.name)).toEqual(['batch-1', 'batch-2', 'batch-3']);
    for (const vm of vms) {
      expect(vm).toMatchObject({ state: 'running', rawState: 'Running', image: UBUNTU.id, zone: ZONE_A.id });
      expect(vm.tags).toEqual({ env: 'test', owner: 'alice' });
      expect(vm.privateIps[0]).toMatch(/^10\./);
      expect(vm.publicIps).toHaveLength(1);
    }
    const described = await rig.session.describe({ ids: vms.map((vm) => vm.id) });
    expect(described.map((vm) => vm.tags.env)).toEqual(['test', 'test', 'test']);
  });

  it('returns the same VMs when retried with the same idempotency key, deploying nothing', async () => {
    const request = launchRequest('retried', { count: 2 });
    const first = await rig.session.launch(request);
    const deploys = rig.sim.control.count('deployVirtualMachine');
    const again = await rig.session.launch(request);
    expect(again.map((vm) => vm.id)).toEqual(first.map((vm) => vm.id));
    expect(rig.sim.control.count('deployVirtualMachine')).toBe(deploys);
  });

  it("tags each VM with core's launch tags, and hides them from the VM's tags", async () => {
    const request = launchRequest('tagged', { count: 2, tags: { env: 'test' } });
    const vms = await rig.session.launch(request);
    expect(vms.map((vm) => modelVm(vm.id)?.tags)).toEqual([
      { env: 'test', [LAUNCH_TAGS.idempotencyKey]: request.idempotencyKey, [LAUNCH_TAGS.launchIndex]: '1' },
      { env: 'test', [LAUNCH_TAGS.idempotencyKey]: request.idempotencyKey, [LAUNCH_TAGS.launchIndex]: '2' },
    ]);
    expect(vms.map((vm) => vm.tags)).toEqual([{ env: 'test' }, { env: 'test' }]);
  });

  it('finds the VMs an earlier version tagged with the dotted spelling, and deploys only the missing ones', async () => {
    const request = launchRequest('legacy', { count: 2 });
    const [old] = rig.sim.control.cloud.seedVms(rig.accountId, 1, {
      namePrefix: 'legacy',
      zone: ZONE_A.id,
      image: UBUNTU.id,
      size: MEDIUM.id,
      tags: {
        owner: 'bob',
        [LEGACY_LAUNCH_TAGS.idempotencyKey]: request.idempotencyKey,
        [LEGACY_LAUNCH_TAGS.launchIndex]: '1',
      },
    });
    const deploys = rig.sim.control.count('deployVirtualMachine');
    const vms = await rig.session.launch(request);
    expect(vms.map((vm) => vm.name)).toEqual(['legacy-1', 'legacy-2']);
    expect(vms[0]?.id).toBe(old?.id);
    expect(rig.sim.control.count('deployVirtualMachine')).toBe(deploys + 1);
    // Neither spelling shows among the user's tags.
    expect(vms[0]?.tags).toEqual({ owner: 'bob' });
    expect(vms[1]?.tags).toEqual({});
    const again = await rig.session.launch(request);
    expect(again.map((vm) => vm.id)).toEqual(vms.map((vm) => vm.id));
    expect(rig.sim.control.count('deployVirtualMachine')).toBe(deploys + 1);
  });

  it('serializes concurrent launches with the same key', async () => {
    const request = launchRequest('concurrent');
    const [a, b] = await Promise.all([rig.session.launch(request), rig.session.launch(request)]);
    expect(a?.map((vm) => vm.id)).toEqual(b?.map((vm) => vm.id));
  });

  it('registers an SSH key once, under a name derived from it, and reuses it', async () => {
    const registrations = rig.sim.control.count('registerSSHKeyPair');
    const [first] = await rig.session.launch(launchRequest('keyed-1', { sshPublicKey: SSH_KEY }));
    const [second] = await rig.session.launch(launchRequest('keyed-2', { sshPublicKey: SSH_KEY }));
    expect(rig.sim.control.count('registerSSHKeyPair')).toBe(registrations + 1);
    expect(modelVm(first?.id ?? '')?.keyPair).toBe(keyPairName(SSH_KEY));
    expect(modelVm(second?.id ?? '')?.keyPair).toBe(keyPairName(SSH_KEY));
  });

  it('reuses a key pair the user registered under another name', async () => {
    const other = SSH_KEY.replace('LTAx', 'LTAz');
    rig.sim.control.cloud.registerKeyPair(rig.accountId, 'my-laptop', other);
    const [vm] = await rig.session.launch(launchRequest('own-key', { sshPublicKey: other }));
    expect(modelVm(vm?.id ?? '')?.keyPair).toBe('my-laptop');
  });

  it('sends user data base64-encoded in a POST', async () => {
    const userData = `#cloud-config\n${'# padding line to make it larger than a URL would like\n'.repeat(80)}`;
    const [vm] = await rig.session.launch(launchRequest('with-data', { userData }));
    expect(Buffer.from(modelVm(vm?.id ?? '')?.userData ?? '', 'base64').toString('utf8')).toBe(userData);
    expect(rig.sim.control.requests.find((r) => r.operation === 'deployVirtualMachine')?.method).toBe('POST');
  });

  it('uses the instance defaults for image and size "default", and zone names', async () => {
    const [vm] = await rig.session.launch(
      launchRequest('defaults', { image: 'default', size: 'default', zone: ZONE_B.name }),
    );
    expect(vm).toMatchObject({ image: DEBIAN.id, size: MEDIUM.id, zone: ZONE_B.id });
  });

  it('keeps a name CloudStack refuses as a host name as the display name', async () => {
    const [vm] = await rig.session.launch(launchRequest('web server 1'));
    expect(vm?.name).toBe('web server 1');
    expect(modelVm(vm?.id ?? '')?.name).toMatch(/^VM-/);
  });

  it('refuses what it cannot resolve before deploying anything', async () => {
    const deploys = rig.sim.control.count('deployVirtualMachine');
    const template = await rig.session
      .launch(launchRequest('nope', { image: 'Windows 95' }))
      .catch((e: unknown) => e);
    expect(ConnectorError.hasCode(template, 'INVALID_REQUEST')).toBe(true);
    expect((template as Error).message).toContain(
      'There is no template "Windows 95" in zone "Zone-A"; choose one of',
    );
    const zone = await rig.session
      .launch({ ...launchRequest('nope'), zone: undefined })
      .catch((e: unknown) => e);
    expect((zone as Error).message).toContain('This cloud has 2 zones ("Zone-A", "Zone-B")');
    const tags = await rig.session
      .launch(launchRequest('nope', { tags: { empty: '' } }))
      .catch((e: unknown) => e);
    expect((tags as Error).message).toContain('tag "empty" has an empty value');
    for (const reserved of [LAUNCH_TAGS.idempotencyKey, LEGACY_LAUNCH_TAGS.launchIndex]) {
      const refused = await rig.session
        .launch(launchRequest('nope', { tags: { [reserved]: 'mine' } }))
        .catch((e: unknown) => e);
      expect((refused as Error).message).toContain(`tag "${reserved}" is reserved by the connector`);
    }
    expect(rig.sim.control.count('deployVirtualMachine')).toBe(deploys);
  });

  it('reports a failed deployment job with its error and destroys the failed VM', async () => {
    rig.sim.control.failJobs(1, 'Unable to create a deployment for VM[User|i-2-9-VM]');
    const destroys = rig.sim.control.count('destroyVirtualMachine');
    const error = await rig.session.launch(launchRequest('doomed')).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CLOUD_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(
      /^CloudStack job \S+ \(deployVirtualMachine\) failed with error 530: Unable to create a deployment for VM\[User\|i-2-9-VM\]/,
    );
    expect(rig.sim.control.count('destroyVirtualMachine')).toBe(destroys + 1);
    // The expunge takes the halt delay: on a slow machine the VM may already be gone.
    const doomed = rig.sim.control.cloud.vms(rig.accountId).find((vm) => vm.displayName === 'doomed');
    expect(doomed?.phase ?? 'expunged').toMatch(/^(expunging|destroyed|expunged)$/);
  });
});

describe('CloudStack launch against the account limit', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({
      simulator: { accounts: [{ key: 'q-key', secret: 'q-secret', name: 'bob', vmLimit: 1 }] },
    });
  });
  afterAll(() => rig.close());

  it('fails QUOTA_EXCEEDED, and a retry with the same key completes only what is missing', async () => {
    const request = launchRequest('limited', { count: 2 });
    const error = await rig.session.launch(request).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'QUOTA_EXCEEDED')).toBe(true);
    expect((error as Error).message).toContain(
      "Maximum amount of resources of Type = 'user_vm' for Account Name = bob",
    );
    const account = rig.sim.control.cloud.accountByKey('q-key');
    if (account) account.vmLimit = 2;
    const vms = await rig.session.launch(request);
    expect(vms.map((vm) => vm.name)).toEqual(['limited-1', 'limited-2']);
    expect(rig.sim.control.cloud.vms(rig.accountId)).toHaveLength(2);
    await rig.session.terminate(vms.map((vm) => vm.id));
    await waitFor(
      rig.session,
      vms.map((vm) => vm.id),
      'terminated',
      { interval: 20, timeout: 20_000 },
    );
  });
});
