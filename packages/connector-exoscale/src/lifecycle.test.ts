import { randomUUID } from 'node:crypto';
import { ConnectorError, type Vm } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure, startTarget, type Target, UBUNTU } from './testing/fixtures.js';

describe('terminate, stop and start', () => {
  let target: Target;
  const launch = async (): Promise<Vm> => {
    const [vm] = await target.session.launch({
      name: `c-${randomUUID().slice(0, 8)}`,
      image: UBUNTU,
      size: 'standard.tiny',
      idempotencyKey: randomUUID(),
    });
    return vm as Vm;
  };
  const state = async (id: string) => (await target.session.describe({ ids: [id] }))[0]?.rawState;

  const other = { key: 'EXOother0123456789abcdef0', secret: 'other-secret-0123456789abcdef' };

  beforeAll(async () => {
    target = await startTarget({
      sim: {
        accounts: [{ key: 'EXOlife0123456789abcdef01', secret: 'life-secret-0123456789abcdef' }, other],
      },
    });
  });
  afterAll(() => target.close());
  beforeEach(() => target.sim.control.clearRequests());

  it('stops and starts, waiting for the operations; repeating either changes nothing', async () => {
    const vm = await launch();
    await target.session.stop?.([vm.id]);
    expect(await state(vm.id)).toBe('stopped');
    target.sim.control.clearRequests();
    await target.session.stop?.([vm.id]);
    expect(target.sim.control.count('stop-instance')).toBe(0);
    await target.session.start?.([vm.id]);
    expect(await state(vm.id)).toBe('running');
    await target.session.start?.([vm.id]);
    expect(target.sim.control.count('start-instance')).toBe(1);
  });

  it('terminates, and terminating again succeeds after Exoscale has forgotten the instance', async () => {
    const vm = await launch();
    await target.session.terminate([vm.id]);
    expect(await target.session.describe({ ids: [vm.id] })).toEqual([]);
    await expect(target.session.terminate([vm.id])).resolves.toBeUndefined();
    // Another session of the same user shares the connector instance's memory of deletions.
    const again = await target.instance.session(target.sim.credentials);
    await expect(again.terminate([vm.id])).resolves.toBeUndefined();
    // Exoscale's UUIDs name the same instance in either case.
    await expect(target.session.terminate([vm.id.toUpperCase()])).resolves.toBeUndefined();
  });

  it("does not take another user's deletions as this user's", async () => {
    const vm = await launch();
    await target.session.terminate([vm.id]);
    expect(await target.session.describe({ ids: [vm.id] })).toEqual([]);
    const stranger = await target.instance.session(other);
    const error = await failure(() => stranger.terminate([vm.id]));
    expect(ConnectorError.hasCode(error, 'NOT_FOUND')).toBe(true);
  });

  it('fails NOT_FOUND, changing nothing, when any id is unknown', async () => {
    const vm = await launch();
    const unknown = randomUUID();
    const error = await failure(() => target.session.terminate([vm.id, unknown, 'not-a-uuid']));
    expect(ConnectorError.hasCode(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain(unknown);
    expect((error as Error).message).toContain('not-a-uuid');
    expect(target.sim.control.count('delete-instance')).toBe(0);
    expect(await state(vm.id)).toBe('running');
    await target.session.terminate([vm.id]);
  });

  it('refuses to stop or start a terminated instance', async () => {
    const vm = await launch();
    await target.session.terminate([vm.id]);
    const error = await failure(async () => target.session.start?.([vm.id]));
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toMatch(/terminated/);
  });

  it('takes a DELETE retried after its first answer was lost as done', async () => {
    const vm = await launch();
    target.sim.control.resetConnection({ afterHandling: true, match: 'delete-instance' });
    await expect(target.session.terminate([vm.id])).resolves.toBeUndefined();
    expect(target.sim.control.count('delete-instance')).toBe(2);
    expect(['destroying', undefined]).toContain(await state(vm.id));
  });

  it('describes several instances with one listing, leaving out unknown ids', async () => {
    const [a, b] = [await launch(), await launch()];
    target.sim.control.clearRequests();
    const vms = await target.session.describe({ ids: [a.id, b.id, randomUUID(), 'junk'] });
    expect(vms.map((vm) => vm.id).sort()).toEqual([a.id, b.id].sort());
    expect(target.sim.control.requests.map((r) => r.operation)).toEqual(['list-instances']);
    await target.session.terminate([a.id, b.id]);
  });
});
