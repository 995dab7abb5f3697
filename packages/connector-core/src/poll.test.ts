import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { poll } from './poll.js';

describe('poll', () => {
  it('checks until the check returns a value, and returns it', async () => {
    let checks = 0;
    const result = await poll({ interval: 1, timeout: 5_000 }, () => (++checks === 3 ? 'done' : undefined));
    expect(result).toBe('done');
    expect(checks).toBe(3);
  });

  it('checks at once, or pauses first when asked', async () => {
    const seen: string[] = [];
    await poll({ interval: 1, timeout: 5_000 }, () => {
      seen.push('check');
      return true;
    });
    expect(seen).toEqual(['check']);
    const started = Date.now();
    await poll({ interval: 30, timeout: 5_000, pauseFirst: true }, () => true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends with the check when it throws', async () => {
    const error = new ConnectorError('CLOUD_ERROR', 'the job failed');
    await expect(
      poll({ interval: 1, timeout: 5_000 }, () => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('fails TIMEOUT naming what was waited for, or with the given error, checking once more at the deadline', async () => {
    let checks = 0;
    const timeout = await poll({ interval: 5, timeout: 20, what: 'Job 42' }, () => {
      checks += 1;
      return undefined;
    }).catch((e: unknown) => e);
    expect(timeout).toMatchObject({ code: 'TIMEOUT', message: 'Job 42 did not finish within 20 ms.' });
    expect(checks).toBeGreaterThanOrEqual(2);
    const custom = new Error('still pending');
    await expect(poll({ interval: 1, timeout: 0, timeoutError: () => custom }, () => undefined)).rejects.toBe(
      custom,
    );
  });

  it('grows the pause by half each round up to maxInterval', async () => {
    const pauses: number[] = [];
    let last = Date.now();
    await poll({ interval: 10, maxInterval: 25, timeout: 5_000 }, () => {
      const now = Date.now();
      pauses.push(now - last);
      last = now;
      return pauses.length === 5 ? true : undefined;
    });
    // 0 (first check), then about 10, 15, 23, 25: each at least the planned pause.
    expect(pauses[1]).toBeGreaterThanOrEqual(9);
    expect(pauses[2]).toBeGreaterThanOrEqual(14);
    expect(pauses[3]).toBeGreaterThanOrEqual(22);
    expect(pauses[4]).toBeGreaterThanOrEqual(24);
  });

  it('fails ABORTED when the signal fires during a pause or is already aborted', async () => {
    const controller = new AbortController();
    const pending = poll({ interval: 10_000, timeout: 60_000, signal: controller.signal }, () => undefined);
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    let checked = false;
    await expect(
      poll({ interval: 1, timeout: 1_000, signal: AbortSignal.abort(), what: 'Waiting' }, () => {
        checked = true;
        return 1;
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(checked).toBe(false);
  });
});
