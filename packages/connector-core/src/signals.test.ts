import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { raceSignal } from './signals.js';

describe('raceSignal', () => {
  it('settles as the promise does when no signal fires', async () => {
    await expect(raceSignal(Promise.resolve(7), new AbortController().signal, 'x')).resolves.toBe(7);
    await expect(raceSignal(Promise.reject(new Error('no')), undefined, 'x')).rejects.toThrow('no');
  });

  it("rejects ABORTED when the caller's signal fires, while the shared work goes on", async () => {
    const controller = new AbortController();
    let finish: (value: string) => void = () => {};
    const shared = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const mine = raceSignal(shared, controller.signal, 'Listing flavors');
    const theirs = raceSignal(shared, undefined, 'Listing flavors');
    controller.abort('user left');
    const error = await mine.catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toBe('Listing flavors was aborted by its caller.');
    expect((error as Error).cause).toBe('user left');
    finish('flavors');
    await expect(theirs).resolves.toBe('flavors');
  });

  it('rejects at once for an already aborted signal, leaving no unhandled rejection behind', async () => {
    const failing = Promise.reject(new Error('late failure'));
    await expect(raceSignal(failing, AbortSignal.abort(), 'x')).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
