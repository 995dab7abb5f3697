import { ConnectorError } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRequest, type Rig, startRig } from './testing/fixtures.js';

const NEVER_KNOWN = '00000000-0000-4000-8000-00000000beef';

describe('CloudStack terminate, stop, start and describe', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());
  const phase = (id: string) => rig.sim.control.cloud.vm(rig.accountId, id)?.phase;

  it('refuses a batch with an id CloudStack never knew, changing nothing', async () => {
    const [vm] = await rig.session.launch(launchRequest('kept'));
    const error = await rig.session.terminate([vm?.id ?? '', NEVER_KNOWN]).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain(NEVER_KNOWN);
    expect(phase(vm?.id ?? '')).toBe('running');
  });

  it('terminates with expunge and succeeds again once the VM is gone', async () => {
    const [vm] = await rig.session.launch(launchRequest('expunged'));
    const id = vm?.id ?? '';
    await rig.session.terminate([id]);
    expect(rig.sim.control.cloud.vm(rig.accountId, id)).toBeUndefined();
    expect(await rig.session.describe({ ids: [id] })).toEqual([]);
    const destroys = rig.sim.control.count('destroyVirtualMachine');
    await rig.session.terminate([id]);
    expect(rig.sim.control.count('destroyVirtualMachine')).toBe(destroys);
  });

  it('stops and starts, skipping VMs already where asked', async () => {
    const [vm] = await rig.session.launch(launchRequest('cycled'));
    const id = vm?.id ?? '';
    await rig.session.stop?.([id]);
    expect(phase(id)).toBe('stopped');
    const stops = rig.sim.control.count('stopVirtualMachine');
    await rig.session.stop?.([id]);
    expect(rig.sim.control.count('stopVirtualMachine')).toBe(stops);
    await rig.session.start?.([id]);
    expect(phase(id)).toBe('running');
    const [described] = await rig.session.describe({ ids: [id] });
    expect(described?.state).toBe('running');
  });

  it('refuses to start a destroyed VM, changing nothing', async () => {
    const [vm] = await rig.session.launch(launchRequest('destroyed'));
    const id = vm?.id ?? '';
    rig.sim.control.cloud.destroyVm(rig.accountId, id, false, 'test');
    const error = await rig.session.start?.([id]).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toContain(`VM ${id} is Destroyed`);
    const [described] = await rig.session.describe({ ids: [id] });
    expect(described).toMatchObject({ state: 'terminating', rawState: 'Destroyed' });
  });

  it('describes known VMs and leaves out ids CloudStack never knew', async () => {
    const [vm] = await rig.session.launch(launchRequest('described'));
    const described = await rig.session.describe({ ids: [NEVER_KNOWN, vm?.id ?? ''] });
    expect(described.map((v) => v.id)).toEqual([vm?.id]);
    const all = await rig.session.describe();
    expect(all.some((v) => v.id === vm?.id)).toBe(true);
  });
});

describe('CloudStack terminate without expunge', () => {
  it('leaves VMs Destroyed, terminating, when expunge on terminate is off', async () => {
    const rig = await startRig({ parameters: { 'terminate.expunge': false } });
    try {
      const [vm] = await rig.session.launch(launchRequest('kept-destroyed'));
      const id = vm?.id ?? '';
      await rig.session.terminate([id]);
      const [described] = await rig.session.describe({ ids: [id] });
      expect(described).toMatchObject({ state: 'terminating', rawState: 'Destroyed' });
      const destroys = rig.sim.control.count('destroyVirtualMachine');
      await rig.session.terminate([id]);
      expect(rig.sim.control.count('destroyVirtualMachine')).toBe(destroys);
    } finally {
      await rig.close();
    }
  });

  it('falls back to a plain destroy, once per session, when the cloud refuses user expunges', async () => {
    const rig = await startRig({
      simulator: { allowUserExpungeRecoverVm: false, allowUserViewDestroyedVm: false },
    });
    try {
      const vms = await rig.session.launch(launchRequest('no-expunge', { count: 2 }));
      const [first, second] = vms.map((vm) => vm.id) as [string, string];
      await rig.session.terminate([first]);
      // Refused with expunge, then destroyed without.
      expect(rig.sim.control.count('destroyVirtualMachine')).toBe(2);
      expect(rig.logs.filter((entry) => entry.level === 'warn')).toHaveLength(1);
      // This cloud hides destroyed VMs from users: to them it is gone.
      expect(await rig.session.describe({ ids: [first] })).toEqual([]);
      await rig.session.terminate([second]);
      expect(rig.sim.control.count('destroyVirtualMachine')).toBe(3);
    } finally {
      await rig.close();
    }
  });
});
