import { describe, expect, it } from 'vitest';
import { LoginRateLimiter, loginKey } from './rate-limit.js';

const MINUTE = 60_000;

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function limiter(clock: { now: () => number }, options = {}): LoginRateLimiter {
  return new LoginRateLimiter({
    now: clock.now,
    maxFailures: 5,
    windowMs: 15 * MINUTE,
    lockoutMs: MINUTE,
    maxLockoutMs: 8 * MINUTE,
    ...options,
  });
}

describe('LoginRateLimiter', () => {
  it('counts an attempt when it begins, so that attempts begun at once count as many', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    const begun = Array.from({ length: 8 }, () => l.begin(key, { clearOnSuccess: true }));
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

  it('takes a successful attempt back: the whole history for a pair, the one attempt for an address', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const pair = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 3; i++) l.fail(pair);
    l.begin(pair, { clearOnSuccess: true }).succeeded();
    expect(l.size).toBe(0);
    const address = 'address 10.0.0.1';
    for (let i = 0; i < 3; i++) l.fail(address);
    l.begin(address, { clearOnSuccess: false }).succeeded();
    // Three failures stand: a fourth and fifth lock the address out.
    l.fail(address);
    expect(l.fail(address).allowed).toBe(false);
  });

  it('allows attempts until the fifth failure within the window, then locks for the lockout time', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 4; i++) expect(l.fail(key)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(l.fail(key)).toEqual({ allowed: false, retryAfterMs: MINUTE });
    clock.advance(20_000);
    expect(l.check(key)).toEqual({ allowed: false, retryAfterMs: 40_000 });
    clock.advance(40_000);
    expect(l.check(key)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('slides the window: failures older than the window no longer count', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 4; i++) l.fail(key);
    clock.advance(10 * MINUTE);
    l.fail(key); // fifth within the window → lock
    expect(l.check(key).allowed).toBe(false);

    const other = loginKey('bob', '10.0.0.1');
    for (let i = 0; i < 4; i++) l.fail(other);
    clock.advance(15 * MINUTE + 1);
    expect(l.fail(other)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('doubles each further lockout up to the ceiling', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    const lockouts: number[] = [];
    for (let round = 0; round < 6; round++) {
      let decision = l.check(key);
      for (let i = 0; i < 5; i++) decision = l.fail(key);
      lockouts.push(decision.retryAfterMs);
      clock.advance(decision.retryAfterMs);
    }
    expect(lockouts).toEqual([1, 2, 4, 8, 8, 8].map((m) => m * MINUTE));
  });

  it('a success clears failures and the lockout history', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 5; i++) l.fail(key);
    clock.advance(MINUTE);
    l.succeed(key);
    for (let i = 0; i < 4; i++) expect(l.fail(key).allowed).toBe(true);
    expect(l.fail(key).retryAfterMs).toBe(MINUTE);
  });

  it('keeps keys apart: another address or user is not locked out', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    for (let i = 0; i < 5; i++) l.fail(loginKey('alice', '10.0.0.1'));
    expect(l.check(loginKey('alice', '10.0.0.1')).allowed).toBe(false);
    expect(l.check(loginKey('ALICE ', '10.0.0.1')).allowed).toBe(false);
    expect(l.check(loginKey('alice', '10.0.0.2')).allowed).toBe(true);
    expect(l.check(loginKey('bob', '10.0.0.1')).allowed).toBe(true);
    expect(loginKey('a","b', 'c')).not.toBe(loginKey('a', 'b","c'));
  });

  it('forgets the lockout level after a long quiet period', () => {
    const clock = fakeClock();
    const l = limiter(clock, { forgetAfterMs: 60 * MINUTE });
    const key = loginKey('alice', '10.0.0.1');
    for (let i = 0; i < 5; i++) l.fail(key);
    clock.advance(MINUTE);
    for (let i = 0; i < 5; i++) l.fail(key);
    expect(l.check(key).retryAfterMs).toBe(2 * MINUTE);
    clock.advance(2 * MINUTE + 60 * MINUTE);
    l.prune();
    expect(l.size).toBe(0);
    for (let i = 0; i < 5; i++) l.fail(key);
    expect(l.check(key).retryAfterMs).toBe(MINUTE);
  });

  it('bounds memory by forgetting the least recently used key', () => {
    const clock = fakeClock();
    const l = limiter(clock, { maxEntries: 3 });
    for (let i = 0; i < 5; i++) l.fail('a');
    l.fail('b');
    l.fail('c');
    l.fail('a'); // a is now the most recently used
    l.fail('d'); // evicts b
    expect(l.size).toBe(3);
    expect(l.check('a').allowed).toBe(false);
    for (let i = 0; i < 4; i++) l.fail('e'); // evicts c, then keeps e
    expect(l.size).toBe(3);
    expect(l.check('a').allowed).toBe(false);
  });

  it('drops keys whose failures left the window without a lockout', () => {
    const clock = fakeClock();
    const l = limiter(clock);
    l.fail('x');
    clock.advance(15 * MINUTE);
    l.prune();
    expect(l.size).toBe(0);
  });

  it('check does not create entries', () => {
    const l = limiter(fakeClock());
    l.check('nobody');
    expect(l.size).toBe(0);
  });

  it('refuses nonsensical options with a clear error', () => {
    expect(() => new LoginRateLimiter({ maxFailures: 0 })).toThrow(
      /maxFailures must be a positive integer; got 0/,
    );
    expect(() => new LoginRateLimiter({ windowMs: Number.NaN })).toThrow(/windowMs/);
    expect(() => new LoginRateLimiter({ lockoutMs: 10, maxLockoutMs: 5 })).toThrow(
      /maxLockoutMs must be at least lockoutMs/,
    );
  });
});
