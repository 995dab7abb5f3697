import { describe, expect, it } from 'vitest';
import { DeletedServers } from './deleted.js';
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
