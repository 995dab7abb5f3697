import { describe, expect, it } from 'vitest';
import type { DescribeQuery, Vm } from './contract.js';
import { ConnectorError } from './errors.js';
import type { VmState } from './states.js';
import { waitFor } from './wait.js';

function vm(id: string, state: VmState): Vm {
  return { id, name: id, state, rawState: state.toUpperCase(), publicIps: [], privateIps: [], tags: {} };
}

/** A fake session whose describe answers from a script of rounds; counts the calls. */
function scripted(rounds: Record<string, VmState | undefined>[]) {
  const calls: (readonly string[] | undefined)[] = [];
  return {
    calls,
    async describe(query?: DescribeQuery): Promise<Vm[]> {
      calls.push(query?.ids);
      const round = rounds[Math.min(calls.length - 1, rounds.length - 1)] ?? {};
      return Object.entries(round).flatMap(([id, state]) => (state ? [vm(id, state)] : []));
    },
  };
}

const fast = { interval: 1, maxInterval: 2 };

describe('waitFor', () => {
  it('polls with one describe per round for all VMs until every VM is in the state', async () => {
    const session = scripted([
      { a: 'pending', b: 'pending' },
      { a: 'running', b: 'pending' },
      { a: 'running', b: 'running' },
    ]);
    const seen: string[][] = [];
    const vms = await waitFor(session, ['a', 'b', 'a'], 'running', {
      ...fast,
      onPoll: (v) => seen.push(v.map((x) => x.state)),
    });
    expect(vms.map((v) => [v.id, v.state])).toEqual([
      ['a', 'running'],
      ['b', 'running'],
    ]);
    expect(session.calls).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(seen).toHaveLength(3);
  });

  it('counts a VM that describe no longer returns as terminated', async () => {
    const session = scripted([{ a: 'terminating' }, {}]);
    const vms = await waitFor(session, ['a'], 'terminated', fast);
    expect(vms[0]?.state).toBe('terminated');
  });

  it('fails fast with CLOUD_ERROR when a VM ends in error instead of running', async () => {
    const session = scripted([
      { a: 'pending', b: 'pending' },
      { a: 'running', b: 'error' },
    ]);
    const error = await waitFor(session, ['a', 'b'], 'running', fast).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CLOUD_ERROR')).toBe(true);
    expect((error as Error).message).toContain('VM b is error (ERROR)');
    expect(session.calls).toHaveLength(2);
  });

  it('fails with TIMEOUT naming the VMs still waiting', async () => {
    const session = scripted([{ a: 'running', b: 'pending' }]);
    const error = await waitFor(session, ['a', 'b'], 'running', { timeout: 20, interval: 5 }).catch(
      (e: unknown) => e,
    );
    expect(ConnectorError.hasCode(error, 'TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain('VM b is still pending');
    expect((error as Error).message).not.toContain('VM a');
  });

  it('stops with ABORTED when the signal fires during a pause', async () => {
    const session = scripted([{ a: 'pending' }]);
    const controller = new AbortController();
    const waiting = waitFor(session, ['a'], 'running', { interval: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(session.calls).toHaveLength(1);
  });

  it('does not poll at all with an already aborted signal', async () => {
    const session = scripted([{ a: 'running' }]);
    await expect(waitFor(session, ['a'], 'running', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(session.calls).toHaveLength(0);
  });

  it('refuses a state that is not normalized and ids that are not an array', async () => {
    const session = scripted([{ a: 'running' }]);
    await expect(waitFor(session, ['a'], 'RUNNING' as never)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(waitFor(session, 'a' as never, 'running')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(session.calls).toHaveLength(0);
  });
});
