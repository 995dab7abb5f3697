import { describe, expect, it } from 'vitest';
import type { LaunchRequest } from './contract.js';
import { ConnectorError } from './errors.js';
import {
  checkSameLaunch,
  LAUNCH_TAGS,
  type LaunchSteps,
  launchIdempotently,
  launchIndexOf,
  launchNames,
  launchTags,
  userTags,
} from './idempotent-launch.js';
import type { Logger } from './logger.js';

describe('launchNames', () => {
  it('names one VM as asked and several with a 1-based suffix', () => {
    expect(launchNames({ name: 'web' })).toEqual(['web']);
    expect(launchNames({ name: 'web', count: 1 })).toEqual(['web']);
    expect(launchNames({ name: 'web', count: 3 })).toEqual(['web-1', 'web-2', 'web-3']);
  });
});

describe('checkSameLaunch', () => {
  it('accepts VMs named as this launch names them, refuses another launch', () => {
    const found = new Map([
      [1, { id: 'a', name: 'web-1' }],
      [2, { id: 'b', name: 'web-2' }],
    ]);
    expect(() => checkSameLaunch(found, ['web-1', 'web-2'], 'key-1')).not.toThrow();
    expect(() =>
      checkSameLaunch(new Map([[1, { id: 'a', name: 'db' }]]), ['web'], 'key-1', 'server'),
    ).toThrow(
      /Idempotency key "key-1" was already used by another launch \(it created server a named "db"\)/,
    );
  });
});

describe('launch tags', () => {
  it("adds the connector's tags to the user's, and reads them back", () => {
    const tags = launchTags('key-1', 2, { team: 'web' });
    expect(tags).toEqual({
      team: 'web',
      [LAUNCH_TAGS.idempotencyKey]: 'key-1',
      [LAUNCH_TAGS.launchIndex]: '2',
    });
    expect(launchIndexOf(tags, 'key-1')).toBe(2);
    expect(launchIndexOf(tags, 'key-2')).toBeUndefined();
    expect(userTags(tags)).toEqual({ team: 'web' });
  });

  it('reads a VM without an index tag as index 1, and a bad index as none', () => {
    expect(launchIndexOf({ [LAUNCH_TAGS.idempotencyKey]: 'k' }, 'k')).toBe(1);
    expect(
      launchIndexOf({ [LAUNCH_TAGS.idempotencyKey]: 'k', [LAUNCH_TAGS.launchIndex]: 'x' }, 'k'),
    ).toBeUndefined();
    expect(
      launchIndexOf({ [LAUNCH_TAGS.idempotencyKey]: 'k', [LAUNCH_TAGS.launchIndex]: '0' }, 'k'),
    ).toBeUndefined();
  });

  it('refuses user tags named like the reserved ones, naming them', () => {
    expect(() => launchTags('k', 1, { [LAUNCH_TAGS.launchIndex]: '9', ok: 'x' })).toThrow(
      /"slipstream-launch-index" is reserved for idempotent launches/,
    );
  });
});

interface FakeVm {
  readonly id: string;
  readonly name: string;
  readonly index: number;
}

/** An in-memory cloud whose creates can be made to fail, before or after they take effect. */
function fakeCloud() {
  const vms: FakeVm[] = [];
  const calls: string[] = [];
  const faults = new Map<number, 'before' | 'after' | 'refused'>();
  const lost = (): ConnectorError => new ConnectorError('CLOUD_UNAVAILABLE', 'connection reset');
  const steps: LaunchSteps<FakeVm, string> = {
    async find() {
      calls.push('find');
      return new Map(vms.map((vm) => [vm.index, vm]));
    },
    async prepare() {
      calls.push('prepare');
      return 'plan';
    },
    async create(index, name, plan) {
      calls.push(`create ${index} ${plan}`);
      const fault = faults.get(index);
      faults.delete(index);
      if (fault === 'before') throw lost();
      if (fault === 'refused') throw new ConnectorError('QUOTA_EXCEEDED', 'over quota');
      const vm = { id: `vm-${vms.length + 1}`, name, index };
      vms.push(vm);
      if (fault === 'after') throw lost();
      return vm;
    },
    identify: (vm) => vm,
  };
  return { vms, calls, faults, steps };
}

const request = (count = 1): LaunchRequest => ({
  name: 'web',
  image: 'i',
  size: 's',
  count,
  idempotencyKey: 'key-1',
});

describe('launchIdempotently', () => {
  it('creates every VM of a new launch, preparing once', async () => {
    const cloud = fakeCloud();
    const vms = await launchIdempotently(request(3), cloud.steps);
    expect(vms.map((vm) => vm.name)).toEqual(['web-1', 'web-2', 'web-3']);
    expect(cloud.calls.filter((call) => call === 'prepare')).toHaveLength(1);
  });

  it('returns what an earlier try made and creates only the missing, without preparing when nothing is', async () => {
    const cloud = fakeCloud();
    cloud.faults.set(2, 'refused');
    await expect(launchIdempotently(request(3), cloud.steps)).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
    expect(cloud.vms.map((vm) => vm.index).sort()).toEqual([1, 3]);
    cloud.calls.length = 0;
    const vms = await launchIdempotently(request(3), cloud.steps);
    expect(vms.map((vm) => vm.index)).toEqual([1, 2, 3]);
    expect(cloud.calls).toEqual(['find', 'prepare', 'create 2 plan']);
    cloud.calls.length = 0;
    await launchIdempotently(request(3), cloud.steps);
    expect(cloud.calls).toEqual(['find']);
  });

  it('looks again when a create answer is lost, and uses the VM the cloud made', async () => {
    const logs: unknown[] = [];
    const logger = {
      debug() {},
      info: (fields: unknown) => logs.push(fields),
      warn() {},
      error() {},
    } as Logger;
    const cloud = fakeCloud();
    cloud.faults.set(1, 'after');
    const [vm] = await launchIdempotently(request(), { ...cloud.steps, logger });
    expect(vm).toEqual(cloud.vms[0]);
    expect(cloud.vms).toHaveLength(1);
    expect(logs).toEqual([{ vm: 'vm-1', index: 1, idempotencyKey: 'key-1' }]);
  });

  it('reports a lost answer when the cloud made nothing, and a retry creates it once', async () => {
    const cloud = fakeCloud();
    cloud.faults.set(1, 'before');
    await expect(launchIdempotently(request(), cloud.steps)).rejects.toMatchObject({
      code: 'CLOUD_UNAVAILABLE',
    });
    expect(cloud.vms).toHaveLength(0);
    await launchIdempotently(request(), cloud.steps);
    await launchIdempotently(request(), cloud.steps);
    expect(cloud.vms).toHaveLength(1);
  });

  it('stops at the first failure when sequential', async () => {
    const cloud = fakeCloud();
    cloud.faults.set(2, 'refused');
    await expect(launchIdempotently(request(3), { ...cloud.steps, sequential: true })).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
    });
    expect(cloud.calls).toEqual(['find', 'prepare', 'create 1 plan', 'create 2 plan']);
  });

  it('refuses a key reused by a launch with another name before creating anything', async () => {
    const cloud = fakeCloud();
    await launchIdempotently(request(), cloud.steps);
    cloud.calls.length = 0;
    await expect(launchIdempotently({ ...request(), name: 'db' }, cloud.steps)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(cloud.calls).toEqual(['find']);
  });
});
