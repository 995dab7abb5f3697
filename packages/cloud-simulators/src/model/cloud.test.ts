import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { SimCloud } from './cloud.js';
import { SimError } from './errors.js';

const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

function makeCloud(clock: ManualClock, vmLimit = 3): SimCloud {
  return new SimCloud({
    zones: [{ id: 'z1', name: 'zone-one' }],
    images: [
      {
        id: 'img',
        name: 'Ubuntu',
        description: 'Ubuntu 24.04',
        os: 'Ubuntu',
        sizeGb: 10,
        featured: true,
        createdAt: 0,
      },
      {
        id: 'elsewhere',
        name: 'Other',
        description: '',
        os: 'Debian',
        sizeGb: 8,
        featured: false,
        zones: ['z9'],
        createdAt: 0,
      },
    ],
    sizes: [
      {
        id: 'small',
        name: 'Small',
        description: '1 CPU',
        cpus: 1,
        memoryMb: 1024,
        cpuSpeedMhz: 2000,
        family: 'standard',
      },
    ],
    accounts: [
      { key: 'alice-key', secret: 'alice-secret', vmLimit },
      { key: 'bob-key', secret: 'bob-secret' },
    ],
    bootDelayMs: 1000,
    haltDelayMs: 500,
    clock,
  });
}

const spec = { name: 'web', zone: 'z1', image: 'img', size: 'small' };

describe('SimCloud', () => {
  let clock: ManualClock;
  let cloud: SimCloud;
  let alice: string;
  let bob: string;

  beforeEach(() => {
    clock = new ManualClock();
    cloud = makeCloud(clock);
    alice = cloud.accountByKey('alice-key')?.id as string;
    bob = cloud.accountByKey('bob-key')?.id as string;
  });

  it('boots a VM through starting to running, and its operation completes with it', () => {
    const { vm, operation } = cloud.createVm(alice, spec, 'deploy');
    expect(vm).toMatchObject({ phase: 'starting', name: 'web', displayName: 'web', diskGb: 10 });
    expect(operation).toMatchObject({ status: 'pending', resource: vm.id, command: 'deploy' });
    clock.advance(999);
    expect(cloud.vm(alice, vm.id)?.phase).toBe('starting');
    clock.advance(1);
    expect(cloud.vm(alice, vm.id)?.phase).toBe('running');
    expect(cloud.operation(alice, operation.id)?.status).toBe('success');
  });

  it('keeps accounts apart', () => {
    const { vm, operation } = cloud.createVm(alice, spec, 'deploy');
    expect(cloud.vms(bob)).toEqual([]);
    expect(cloud.vm(bob, vm.id)).toBeUndefined();
    expect(cloud.operation(bob, operation.id)).toBeUndefined();
    expect(() => cloud.stopVm(bob, vm.id, 'stop')).toThrow(SimError);
  });

  it('stops and starts only from the settled states', () => {
    const { vm } = cloud.createVm(alice, spec, 'deploy');
    expect(() => cloud.stopVm(alice, vm.id, 'stop')).toThrow(/is starting; this needs it running/);
    clock.advance(1000);
    cloud.stopVm(alice, vm.id, 'stop');
    expect(cloud.vm(alice, vm.id)?.phase).toBe('stopping');
    clock.advance(500);
    expect(cloud.vm(alice, vm.id)?.phase).toBe('stopped');
    cloud.startVm(alice, vm.id, 'start');
    clock.advance(1000);
    expect(cloud.vm(alice, vm.id)?.phase).toBe('running');
  });

  it('reports when the current phase began and when the VM first ran, across settled timelines', () => {
    const start = clock.now();
    const { vm } = cloud.createVm(alice, spec, 'deploy');
    expect(vm).toMatchObject({ phaseSince: start, launchedAt: undefined });
    clock.advance(1500);
    expect(cloud.vm(alice, vm.id)).toMatchObject({ phase: 'running', phaseSince: start + 1000 });
    cloud.stopVm(alice, vm.id, 'stop');
    expect(cloud.vm(alice, vm.id)).toMatchObject({ phaseSince: start + 1500, launchedAt: start + 1000 });
    clock.advance(500);
    cloud.startVm(alice, vm.id, 'start');
    clock.advance(2000);
    // The second boot does not move the first launch.
    expect(cloud.vm(alice, vm.id)).toMatchObject({
      phase: 'running',
      phaseSince: start + 3000,
      launchedAt: start + 1000,
    });
    expect(cloud.seedVms(bob, 1, { zone: 'z1', image: 'img', size: 'small' })[0]?.launchedAt).toBe(
      clock.now(),
    );
  });

  it('destroys without expunge into a listed destroyed VM, and expunges out of the listing', () => {
    const first = cloud.createVm(alice, spec, 'deploy').vm;
    const second = cloud.createVm(alice, { ...spec, name: 'db' }, 'deploy').vm;
    cloud.destroyVm(alice, first.id, false, 'destroy');
    expect(cloud.vm(alice, first.id)?.phase).toBe('destroyed');
    const expunge = cloud.destroyVm(alice, second.id, true, 'destroy');
    expect(cloud.vm(alice, second.id)?.phase).toBe('expunging');
    clock.advance(500);
    expect(cloud.vm(alice, second.id)).toBeUndefined();
    expect(cloud.operation(alice, expunge.id)?.status).toBe('success');
    expect(cloud.vms(alice).map((vm) => vm.name)).toEqual(['web']);
    // A destroyed VM can still be expunged; an expunging one cannot be destroyed again.
    cloud.destroyVm(alice, first.id, true, 'destroy');
    expect(() => cloud.destroyVm(alice, first.id, true, 'destroy')).toThrow(/already expunging/);
  });

  it('enforces the account limit, not counting destroyed VMs', () => {
    const vms = [1, 2, 3].map((n) => cloud.createVm(alice, { ...spec, name: `vm${n}` }, 'deploy').vm);
    expect(() => cloud.createVm(alice, spec, 'deploy')).toThrow(expect.objectContaining({ kind: 'quota' }));
    cloud.destroyVm(alice, (vms[0] as { id: string }).id, false, 'destroy');
    expect(cloud.createVm(alice, spec, 'deploy').vm.phase).toBe('starting');
    expect(cloud.createVm(bob, spec, 'deploy').vm.phase).toBe('starting');
  });

  it('names the field a bad VM spec gets wrong', () => {
    const attempt = (changes: object): SimError => {
      try {
        cloud.createVm(alice, { ...spec, ...changes }, 'deploy');
      } catch (error) {
        return error as SimError;
      }
      throw new Error('createVm accepted a bad spec');
    };
    expect(attempt({ zone: 'nope' })).toMatchObject({ kind: 'not-found', field: 'zone' });
    expect(attempt({ image: 'elsewhere' })).toMatchObject({ kind: 'not-found', field: 'image' });
    expect(attempt({ size: 'huge' })).toMatchObject({ kind: 'not-found', field: 'size' });
    expect(attempt({ diskGb: 5 })).toMatchObject({ kind: 'invalid', field: 'disk' });
    expect(attempt({ keyPair: 'missing' })).toMatchObject({ kind: 'not-found', field: 'keypair' });
  });

  it('fails the next operations on request, leaving the VM in error', () => {
    cloud.failNextOperations(1, 'host exploded');
    const failed = cloud.createVm(alice, spec, 'deploy');
    const fine = cloud.createVm(alice, { ...spec, name: 'ok' }, 'deploy');
    expect(failed.operation.error).toBeUndefined(); // not known before it completes
    clock.advance(1000);
    expect(cloud.operation(alice, failed.operation.id)).toMatchObject({
      status: 'failure',
      error: 'host exploded',
    });
    expect(cloud.vm(alice, failed.vm.id)?.phase).toBe('error');
    expect(cloud.operation(alice, fine.operation.id)?.status).toBe('success');
    expect(cloud.operations(alice)).toHaveLength(2);
  });

  it('a failed stop leaves the VM running', () => {
    const { vm } = cloud.createVm(alice, spec, 'deploy');
    clock.advance(1000);
    cloud.failNextOperations(1);
    cloud.stopVm(alice, vm.id, 'stop');
    clock.advance(500);
    expect(cloud.vm(alice, vm.id)?.phase).toBe('running');
  });

  it('registers key pairs with their MD5 fingerprint and refuses duplicates and junk', () => {
    const pair = cloud.registerKeyPair(alice, 'mine', PUBLIC_KEY);
    expect(pair.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(() => cloud.registerKeyPair(alice, 'mine', PUBLIC_KEY)).toThrow(/already exists/);
    expect(() => cloud.registerKeyPair(alice, 'bad', 'not a key')).toThrow(/OpenSSH format/);
    expect(cloud.keyPairs(bob)).toEqual([]);
    cloud.deleteKeyPair(alice, 'mine');
    expect(cloud.keyPairs(alice)).toEqual([]);
  });

  it('tags VMs and returns copies, never its own records', () => {
    const { vm } = cloud.createVm(alice, { ...spec, tags: { a: '1' } }, 'deploy');
    cloud.tagVm(alice, vm.id, { b: '2' });
    const seen = cloud.vm(alice, vm.id);
    expect(seen?.tags).toEqual({ a: '1', b: '2' });
    (seen?.tags as Record<string, string>).c = '3';
    expect(cloud.vm(alice, vm.id)?.tags).toEqual({ a: '1', b: '2' });
  });

  it('seeds running VMs with distinct addresses', () => {
    const seeded = cloud.seedVms(bob, 300, { zone: 'z1', image: 'img', size: 'small', namePrefix: 'bench' });
    expect(seeded.every((vm) => vm.phase === 'running')).toBe(true);
    expect(new Set(seeded.map((vm) => vm.publicIp)).size).toBe(300);
    expect(seeded[299]?.name).toBe('bench-300');
    expect(cloud.vms(bob)).toHaveLength(300);
  });

  it('lists its accounts in the order they were added', () => {
    const carol = cloud.addAccount({ key: 'carol-key', secret: 'carol-secret', name: 'carol' });
    expect(cloud.accounts().map((account) => account.key)).toEqual(['alice-key', 'bob-key', 'carol-key']);
    expect(cloud.accounts()[2]).toBe(carol);
  });

  it('marks keys expired or revoked', () => {
    cloud.setAccountStatus('alice-key', 'revoked');
    expect(cloud.accountByKey('alice-key')?.status).toBe('revoked');
    expect(() => cloud.setAccountStatus('nobody', 'expired')).toThrow(/No account has key/);
  });
});
