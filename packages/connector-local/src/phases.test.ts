import { waitFor } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { BOOT_MS, HALT_MS, launchRequest, openLocal } from './testing/fixtures.js';

/** The normalized and native state of each VM, in one string per VM for readable failures. */
async function states(
  session: Awaited<ReturnType<typeof openLocal>>['alice'],
  ids?: string[],
): Promise<string[]> {
  const vms = await session.describe(ids === undefined ? undefined : { ids });
  return vms.map((vm) => `${vm.state}/${vm.rawState}`);
}

describe('time-driven transitions', () => {
  it('keeps a launched VM pending until exactly the boot delay has passed', async () => {
    const { alice, clock } = await openLocal();
    await alice.launch(launchRequest());
    expect(await states(alice)).toEqual(['pending/PROVISIONING']);
    clock.advance(BOOT_MS - 1);
    expect(await states(alice)).toEqual(['pending/PROVISIONING']);
    clock.advance(1);
    expect(await states(alice)).toEqual(['running/RUNNING']);
  });

  it('stops a running VM through stopping, and starts it again through pending', async () => {
    const { alice, clock } = await openLocal();
    const [vm] = await alice.launch(launchRequest());
    const ids = [vm?.id ?? ''];
    clock.advance(BOOT_MS);

    await alice.stop?.(ids);
    expect(await states(alice, ids)).toEqual(['stopping/HALTING']);
    clock.advance(HALT_MS - 1);
    expect(await states(alice, ids)).toEqual(['stopping/HALTING']);
    clock.advance(1);
    expect(await states(alice, ids)).toEqual(['stopped/HALTED']);

    await alice.start?.(ids);
    expect(await states(alice, ids)).toEqual(['pending/BOOTING']);
    clock.advance(BOOT_MS);
    expect(await states(alice, ids)).toEqual(['running/RUNNING']);
  });

  it('terminates through terminating, keeps the VM visible for 60 s, then forgets it', async () => {
    const { alice, clock } = await openLocal();
    const [vm] = await alice.launch(launchRequest());
    const ids = [vm?.id ?? ''];
    clock.advance(BOOT_MS);

    await alice.terminate(ids);
    expect(await states(alice, ids)).toEqual(['terminating/DELETING']);
    clock.advance(HALT_MS);
    const [terminated] = await alice.describe({ ids });
    expect(terminated).toMatchObject({
      state: 'terminated',
      rawState: 'DELETED',
      publicIps: [],
      privateIps: [],
    });

    clock.advance(60_000 - 1);
    expect(await states(alice)).toEqual(['terminated/DELETED']);
    clock.advance(1);
    expect(await alice.describe()).toEqual([]);
    expect(await alice.describe({ ids })).toEqual([]);
  });

  it('terminates a VM in any state, including a pending or stopped one', async () => {
    const { alice, clock } = await openLocal();
    const [pending, stopped] = await alice.launch(launchRequest({ count: 2 }));
    clock.advance(BOOT_MS);
    await alice.stop?.([stopped?.id ?? '']);
    clock.advance(HALT_MS);
    const [fresh] = await alice.launch(launchRequest());
    await alice.terminate([pending?.id ?? '', stopped?.id ?? '', fresh?.id ?? '']);
    expect(await states(alice)).toEqual([
      'terminating/DELETING',
      'terminating/DELETING',
      'terminating/DELETING',
    ]);
  });

  it('succeeds in terminating a VM already terminating, terminated, or no longer listed', async () => {
    const { alice, clock } = await openLocal();
    const [vm] = await alice.launch(launchRequest());
    const ids = [vm?.id ?? ''];
    await alice.terminate(ids);
    clock.advance(HALT_MS / 2);
    // Terminating again does not restart the deletion.
    await alice.terminate(ids);
    clock.advance(HALT_MS / 2);
    expect(await states(alice, ids)).toEqual(['terminated/DELETED']);
    await expect(alice.terminate(ids)).resolves.toBeUndefined();
    clock.advance(60_000);
    expect(await alice.describe()).toEqual([]);
    await expect(alice.terminate(ids)).resolves.toBeUndefined();
  });

  it('refuses to stop a VM that is not running and to start one that is not stopped', async () => {
    const { alice, clock } = await openLocal();
    const [vm] = await alice.launch(launchRequest());
    const ids = [vm?.id ?? ''];
    await expect(alice.stop?.(ids)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(
        `Only running VMs can be stopped: ${ids[0]} is PROVISIONING (pending)`,
      ),
    });
    clock.advance(BOOT_MS);
    await expect(alice.start?.(ids)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(`Only stopped VMs can be started: ${ids[0]} is RUNNING (running)`),
    });
    await alice.terminate(ids);
    await expect(alice.stop?.(ids)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(alice.start?.(ids)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('changes nothing when one VM of a batch cannot be stopped', async () => {
    const { alice, clock } = await openLocal();
    const [running] = await alice.launch(launchRequest());
    clock.advance(BOOT_MS);
    const [pending] = await alice.launch(launchRequest());
    const ids = [running?.id ?? '', pending?.id ?? ''];
    await expect(alice.stop?.(ids)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await states(alice, ids)).toEqual(['running/RUNNING', 'pending/PROVISIONING']);
  });

  it('answers NOT_FOUND for ids the cloud never knew, and leaves them out of describe', async () => {
    const { alice } = await openLocal();
    const [vm] = await alice.launch(launchRequest());
    const id = vm?.id ?? '';
    for (const call of [
      alice.terminate([id, 'vm-999999']),
      alice.stop?.(['vm-999999']),
      alice.start?.(['nope']),
    ]) {
      await expect(call).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    // The batch with an unknown id changed nothing.
    expect(await states(alice, [id])).toEqual(['pending/PROVISIONING']);
    expect((await alice.describe({ ids: ['vm-999999', id] })).map((seen) => seen.id)).toEqual([id]);
  });

  it("works with core's waitFor when transitions are instant", async () => {
    const { alice } = await openLocal({ 'boot.delay.ms': 0 });
    const vms = await alice.launch(launchRequest({ count: 2 }));
    const ids = vms.map((vm) => vm.id);
    const running = await waitFor(alice, ids, 'running', { interval: 1 });
    expect(running.map((vm) => vm.state)).toEqual(['running', 'running']);
  });
});
