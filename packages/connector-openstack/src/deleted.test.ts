import { describe, expect, it } from 'vitest';
import { DeletedServers } from './deleted.js';
import { LaunchLocks } from './locks.js';
import { raceSignal } from './signals.js';

describe('DeletedServers', () => {
  it('remembers deletions per owner, forgetting the oldest beyond its bound', () => {
    const deleted = new DeletedServers();
    const alice = deleted.of('alice');
    alice.add('s1');
    expect(alice.has('s1')).toBe(true);
    expect(deleted.of('bob').has('s1')).toBe(false);
    for (let i = 0; i < DeletedServers.MAX_ENTRIES; i++) deleted.add('bob', `b${i}`);
    expect(alice.has('s1')).toBe(false);
    expect(deleted.has('bob', 'b0')).toBe(true);
  });
});

describe('LaunchLocks', () => {
  it('runs work with one key one after the other, other keys alongside, and survives failures', async () => {
    const locks = new LaunchLocks();
    const order: string[] = [];
    const step =
      (name: string, ms: number, fail = false) =>
      () =>
        new Promise<string>((resolve, reject) =>
          setTimeout(() => {
            order.push(name);
            if (fail) reject(new Error(name));
            else resolve(name);
          }, ms),
        );
    const results = await Promise.allSettled([
      locks.run('k', step('k1', 30, true)),
      locks.run('k', step('k2', 1)),
      locks.run('other', step('o1', 1)),
    ]);
    expect(order).toEqual(['o1', 'k1', 'k2']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });
});

describe('raceSignal', () => {
  it('stops waiting on abort, ABORTED, while the shared work goes on', async () => {
    let finish: (value: string) => void = () => {};
    const shared = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const controller = new AbortController();
    const waiting = raceSignal(shared, controller.signal, 'Sharing');
    controller.abort();
    await expect(waiting).rejects.toMatchObject({
      code: 'ABORTED',
      message: 'Sharing was aborted by its caller.',
    });
    await expect(raceSignal(shared, AbortSignal.abort(), 'Late')).rejects.toMatchObject({ code: 'ABORTED' });
    finish('done');
    expect(await raceSignal(shared, undefined, 'Plain')).toBe('done');
    expect(await raceSignal(shared, new AbortController().signal, 'Kept')).toBe('done');
  });
});
