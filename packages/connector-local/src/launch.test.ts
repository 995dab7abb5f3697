import { describe, expect, it } from 'vitest';
import { LOCAL_IMAGES } from './catalog.js';
import { launchRequest, openLocal } from './testing/fixtures.js';

describe('launch', () => {
  it('creates VMs in the contract model, with deterministic ids and addresses', async () => {
    const { alice, clock } = await openLocal();
    const vms = await alice.launch(
      launchRequest({
        name: 'web',
        image: 'debian-12',
        size: 'medium',
        zone: 'local-b',
        count: 2,
        tags: { team: 'blue' },
        sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestKeyOnly user@host',
        userData: '#cloud-config\n',
      }),
    );
    const createdAt = new Date(clock.now()).toISOString();
    expect(vms).toEqual([
      {
        id: 'vm-000001',
        name: 'web-1',
        state: 'pending',
        rawState: 'PROVISIONING',
        publicIps: ['203.0.113.1'],
        privateIps: ['10.2.0.1'],
        image: 'debian-12',
        size: 'medium',
        zone: 'local-b',
        createdAt,
        tags: { team: 'blue' },
      },
      {
        id: 'vm-000002',
        name: 'web-2',
        state: 'pending',
        rawState: 'PROVISIONING',
        publicIps: ['203.0.113.2'],
        privateIps: ['10.2.0.2'],
        image: 'debian-12',
        size: 'medium',
        zone: 'local-b',
        createdAt,
        tags: { team: 'blue' },
      },
    ]);
    expect(await alice.describe()).toEqual(vms);
  });

  it('keeps the name as given for a single VM and uses the default zone', async () => {
    const { alice } = await openLocal({ zone: 'local-b' });
    const [vm] = await alice.launch(launchRequest({ name: 'db' }));
    expect(vm).toMatchObject({ name: 'db', zone: 'local-b' });
  });

  it('lists the catalog', async () => {
    const { alice } = await openLocal();
    expect((await alice.listImages()).map((image) => image.id)).toEqual([
      'ubuntu-24.04',
      'debian-12',
      'alpine-3.20',
    ]);
    expect((await alice.listSizes()).map((size) => size.id)).toEqual(['small', 'medium', 'large']);
    expect((await alice.listZones()).map((zone) => zone.id)).toEqual(['local-a', 'local-b']);
    expect(LOCAL_IMAGES.every((image) => image.os !== undefined)).toBe(true);
  });

  it.each([
    [
      'image',
      { image: 'windows-11' },
      'unknown image "windows-11"; valid images: ubuntu-24.04, debian-12, alpine-3.20',
    ],
    ['size', { size: 'huge' }, 'unknown size "huge"; valid sizes: small, medium, large'],
    ['zone', { zone: 'local-z' }, 'unknown zone "local-z"; valid zones: local-a, local-b'],
  ])('refuses an unknown %s with INVALID_REQUEST listing the valid ids', async (_, overrides, expected) => {
    const { alice } = await openLocal();
    await expect(alice.launch(launchRequest(overrides))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(expected),
    });
    expect(await alice.describe()).toEqual([]);
  });

  it('reports every unknown catalog id at once', async () => {
    const { alice } = await openLocal();
    const failure = alice.launch(launchRequest({ image: 'nope', size: 'nada' }));
    await expect(failure).rejects.toMatchObject({
      problems: [
        { message: expect.stringContaining('"nope"') },
        { message: expect.stringContaining('"nada"') },
      ],
    });
  });
});

describe('idempotency', () => {
  it('returns the first launch’s VMs for a repeated key and creates nothing', async () => {
    const { alice, clock } = await openLocal();
    const request = launchRequest({ count: 3 });
    const first = await alice.launch(request);
    clock.advance(5_000);
    const again = await alice.launch({ ...request });
    expect(again.map((vm) => vm.id)).toEqual(first.map((vm) => vm.id));
    // The replay reports the VMs as they are now.
    expect(again.map((vm) => vm.state)).toEqual(['running', 'running', 'running']);
    expect(await alice.describe()).toHaveLength(3);
  });

  it('treats an omitted zone and the default zone as the same request', async () => {
    const { alice } = await openLocal();
    const request = launchRequest();
    const [first] = await alice.launch(request);
    const [again] = await alice.launch({ ...request, zone: 'local-a', count: 1, tags: {} });
    expect(again?.id).toBe(first?.id);
  });

  it.each([
    ['image', { image: 'debian-12' }],
    ['size', { size: 'large' }],
    ['count', { count: 2 }],
    ['tags', { tags: { team: 'red' } }],
  ])('refuses the same key with a different %s', async (_, change) => {
    const { alice } = await openLocal();
    const request = launchRequest();
    await alice.launch(request);
    await expect(alice.launch({ ...request, ...change })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(
        `Idempotency key "${request.idempotencyKey}" was already used for a different launch`,
      ),
    });
    expect(await alice.describe()).toHaveLength(1);
  });
});

describe('account VM limit', () => {
  it('answers QUOTA_EXCEEDED when a launch would pass the limit, and creates nothing', async () => {
    const { alice } = await openLocal({ 'account.vm.limit': 3 });
    await alice.launch(launchRequest({ count: 2 }));
    await expect(alice.launch(launchRequest({ count: 2 }))).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining('limit of 3 VMs (2 in use)'),
    });
    expect(await alice.describe()).toHaveLength(2);
    await expect(alice.launch(launchRequest())).resolves.toHaveLength(1);
  });

  it('counts terminating VMs until they are deleted, and each account separately', async () => {
    const { alice, bob, clock } = await openLocal({ 'account.vm.limit': 1 });
    const [vm] = await alice.launch(launchRequest());
    await expect(bob.launch(launchRequest())).resolves.toHaveLength(1);
    await alice.terminate([vm?.id ?? '']);
    await expect(alice.launch(launchRequest())).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    clock.advance(400);
    await expect(alice.launch(launchRequest())).resolves.toHaveLength(1);
  });

  it('still replays an earlier launch when the account is at its limit', async () => {
    const { alice } = await openLocal({ 'account.vm.limit': 1 });
    const request = launchRequest();
    const [first] = await alice.launch(request);
    const [again] = await alice.launch(request);
    expect(again?.id).toBe(first?.id);
  });
});
