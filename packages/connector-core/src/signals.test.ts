import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { askTogether, raceSignal } from './signals.js';

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

describe('askTogether', () => {
  /** An ask whose answers the test settles by hand; an abort of its signal rejects it. */
  function gated() {
    const pending: { fail: (error: unknown) => void }[] = [];
    const ask = (index: number, signal: AbortSignal): Promise<string> =>
      new Promise((_, reject) => {
        pending.push({ fail: reject });
        signal.addEventListener('abort', () => reject(new Error(`aborted ${index}`)), { once: true });
      });
    return { ask, pending };
  }

  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('asks at most `workers` at a time and answers in index order, whatever order they settle in', async () => {
    const inFlight = new Set<number>();
    let most = 0;
    const resolvers = new Map<number, () => void>();
    const result = askTogether(7, 3, undefined, (index) => {
      inFlight.add(index);
      most = Math.max(most, inFlight.size);
      return new Promise<number>((resolve) => {
        resolvers.set(index, () => {
          inFlight.delete(index);
          resolve(index * 10);
        });
      });
    });
    // Settle the newest pending ask first, every time, until all seven answered.
    for (let settled = 0; settled < 7; settled += 1) {
      await tick();
      const newest = Math.max(...inFlight);
      resolvers.get(newest)?.();
    }
    await expect(result).resolves.toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(3);
  });

  it('throws the first failure after aborting and awaiting the asks in flight, asking no more', async () => {
    const { ask, pending } = gated();
    let asked = 0;
    const result = askTogether(10, 3, undefined, (index, signal) => {
      asked += 1;
      return ask(index, signal);
    });
    await tick();
    expect(asked).toBe(3);
    pending[1]?.fail(new ConnectorError('CLOUD_ERROR', 'page 2 failed'));
    await expect(result).rejects.toThrow('page 2 failed');
    expect(asked).toBe(3);
  });

  it("passes the caller's abort on, and leaves no listener on the caller's signal", async () => {
    const caller = new AbortController();
    for (let call = 0; call < 12; call += 1) {
      await askTogether(2, 2, caller.signal, async (index) => index);
    }
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    const { ask } = gated();
    const result = askTogether(4, 2, caller.signal, ask);
    await tick();
    caller.abort('user left');
    await expect(result).rejects.toThrow(/aborted [01]/);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('lets 20 asks in flight each listen on the signal it gets without a listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const answers = await askTogether(20, 20, undefined, async (index, signal) => {
        // As a transport's request and its retry wait do, all 20 at once.
        signal.addEventListener('abort', () => {});
        signal.addEventListener('abort', () => {});
        await tick();
        return index;
      });
      expect(answers).toHaveLength(20);
      await tick();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
