import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { LoginRateLimiter, loginKey } from './rate-limit.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipstream-rate-limit-'));
  store = await openSqliteStore({ file: join(dir, 'store.db') });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** How many keys the store remembers. */
async function remembered(...keys: string[]): Promise<number> {
  const entries = await Promise.all(keys.map((key) => store.getLoginThrottle(key)));
  return entries.filter((entry) => entry !== undefined).length;
}

const MINUTE = 60_000;

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function limiter(clock: { now: () => number }, options = {}): LoginRateLimiter {
  return new LoginRateLimiter(store, {
    now: clock.now,
    maxFailures: 5,
    windowMs: 15 * MINUTE,
    lockoutMs: MINUTE,
    maxLockoutMs: 8 * MINUTE,
    ...options,
  });
}

describe('LoginRateLimiter', async () => {
  it('counts an attempt when it begins, so that attempts begun at once count as many', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    const begun = await Promise.all(Array.from({ length: 8 }, () => l.begin(key, { clearOnSuccess: true })));
    // The fifth reaches the limit and still proceeds; the ones after are refused.
    expect(begun.map((attempt) => attempt.allowed)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(begun[5]?.retryAfterMs).toBe(MINUTE);
  });

  it('takes a successful attempt back: the whole history for a pair, the one attempt for an address', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const pair = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 3; i++) await l.fail(pair);
    await (await l.begin(pair, { clearOnSuccess: true })).succeeded();
    expect(await remembered(pair)).toBe(0);
    const address = 'address 10.0.0.1';
    for (let i = 0; i < 3; i++) await l.fail(address);
    await (await l.begin(address, { clearOnSuccess: false })).succeeded();
    // Three failures stand: a fourth and fifth lock the address out.
    await l.fail(address);
    expect((await l.fail(address)).allowed).toBe(false);
  });

  it('allows attempts until the fifth failure within the window, then locks for the lockout time', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 4; i++) expect(await l.fail(key)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await l.fail(key)).toEqual({ allowed: false, retryAfterMs: MINUTE });
    clock.advance(20_000);
    expect(await l.check(key)).toEqual({ allowed: false, retryAfterMs: 40_000 });
    clock.advance(40_000);
    expect(await l.check(key)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('slides the window: failures older than the window no longer count', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 4; i++) await l.fail(key);
    clock.advance(10 * MINUTE);
    await l.fail(key); // fifth within the window → lock
    expect((await l.check(key)).allowed).toBe(false);

    const other = loginKey('bob', '10.0.0.1');
    for (let i = 0; i < 4; i++) await l.fail(other);
    clock.advance(15 * MINUTE + 1);
    expect(await l.fail(other)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('doubles each further lockout up to the ceiling', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    const lockouts: number[] = [];
    for (let round = 0; round < 6; round++) {
      let decision = await l.check(key);
      for (let i = 0; i < 5; i++) decision = await l.fail(key);
      lockouts.push(decision.retryAfterMs);
      clock.advance(decision.retryAfterMs);
    }
    expect(lockouts).toEqual([1, 2, 4, 8, 8, 8].map((m) => m * MINUTE));
  });

  it('a success clears failures and the lockout history', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 5; i++) await l.fail(key);
    clock.advance(MINUTE);
    l.succeed(key);
    for (let i = 0; i < 4; i++) expect((await l.fail(key)).allowed).toBe(true);
    expect((await l.fail(key)).retryAfterMs).toBe(MINUTE);
  });

  it('keeps keys apart: another address or user is not locked out', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    for (let i = 0; i < 5; i++) await l.fail(loginKey('alice', '10.0.0.1'));
    expect((await l.check(loginKey('alice', '10.0.0.1'))).allowed).toBe(false);
    expect((await l.check(loginKey('ALICE ', '10.0.0.1'))).allowed).toBe(false);
    expect((await l.check(loginKey('alice', '10.0.0.2'))).allowed).toBe(true);
    expect((await l.check(loginKey('bob', '10.0.0.1'))).allowed).toBe(true);
    expect(loginKey('a","b', 'c')).not.toBe(loginKey('a', 'b","c'));
  });

  it('forgets the lockout level after a long quiet period', async () => {
    const clock = fakeClock();
    const l = limiter(clock, { forgetAfterMs: 60 * MINUTE });
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 5; i++) await l.fail(key);
    clock.advance(MINUTE);
    for (let i = 0; i < 5; i++) await l.fail(key);
    expect((await l.check(key)).retryAfterMs).toBe(2 * MINUTE);
    clock.advance(2 * MINUTE + 60 * MINUTE);
    expect(await l.prune()).toBe(1);
    expect(await remembered(key)).toBe(0);
    for (let i = 0; i < 5; i++) await l.fail(key);
    expect((await l.check(key)).retryAfterMs).toBe(MINUTE);
  });

  it('shares its counts with every limiter on the store: a lockout earned on one replica holds on another', async () => {
    const clock = fakeClock();
    const onA = limiter(clock);
    const onB = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    // Attempts begun on both at once all count.
    const begun = await Promise.all(
      Array.from({ length: 6 }, (_item, index) =>
        (index % 2 ? onA : onB).begin(key, { clearOnSuccess: true }),
      ),
    );
    expect(begun.filter((attempt) => attempt.allowed)).toHaveLength(5);
    expect((await onB.check(key)).allowed).toBe(false);
    expect(await onA.hasHistory(key)).toBe(true);
  });

  it('drops keys whose failures left the window without a lockout', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    await l.fail('x');
    clock.advance(15 * MINUTE);
    // Forgotten on read at once, and its row pruned after the forget time.
    expect(await l.hasHistory('x')).toBe(false);
    expect((await l.check('x')).allowed).toBe(true);
  });

  it('check does not create entries', async () => {
    const l = limiter(fakeClock());
    await l.check('nobody');
    expect(await remembered('nobody')).toBe(0);
  });

  it('refuses nonsensical options with a clear error', () => {
    expect(() => new LoginRateLimiter(store, { maxFailures: 0 })).toThrow(
      /maxFailures must be a positive integer; got 0/,
    );
    expect(() => new LoginRateLimiter(store, { windowMs: Number.NaN })).toThrow(/windowMs/);
    expect(() => new LoginRateLimiter(store, { lockoutMs: 10, maxLockoutMs: 5 })).toThrow(
      /maxLockoutMs must be at least lockoutMs/,
    );
  });
});
