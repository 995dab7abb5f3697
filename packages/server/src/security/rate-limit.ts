/**
 * Brute-force protection for the login form. Failures are counted per (username, client address)
 * in a sliding window; reaching the limit locks that pair out, each further lockout twice as long
 * as the last (up to a ceiling). Keying on the pair, not the username alone, keeps an attacker
 * from locking a real user out from elsewhere. The counts live in the store, so every replica of
 * the server counts the same failures and a lockout earned on one holds on all; entries idle long
 * enough are forgotten on read and pruned periodically (start.ts).
 */

import { ServerError } from '../errors.js';
import type { LoginThrottle, Store } from '../store/types.js';
import { userNameKey } from '../store/user-names.js';

export interface LoginRateLimiterOptions {
  /** Failures allowed within `windowMs` before a lockout. Default 5. */
  readonly maxFailures?: number;
  /** Sliding window for counting failures. Default 15 minutes. */
  readonly windowMs?: number;
  /** Length of the first lockout; each later one doubles. Default 1 minute. */
  readonly lockoutMs?: number;
  /** Longest lockout. Default 1 hour. */
  readonly maxLockoutMs?: number;
  /** A key unused this long starts again from the first lockout level. Default 24 hours. */
  readonly forgetAfterMs?: number;
  /** Clock in milliseconds; injectable for tests. Default Date.now. */
  readonly now?: () => number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** How long until the next attempt is allowed; 0 when allowed. */
  readonly retryAfterMs: number;
}

/**
 * An attempt let through by {@link LoginRateLimiter.begin}: already counted as a failure, so that
 * attempts made at once count as many. `succeeded` takes it back once the password proved right.
 */
export interface LoginAttempt extends RateLimitDecision {
  succeeded(): Promise<void>;
}

/** What the limiter keeps its counts in: the server's store. */
export type LoginThrottleSource = Pick<
  Store,
  'getLoginThrottle' | 'putLoginThrottle' | 'deleteLoginThrottles' | 'transaction'
>;

const MINUTE = 60_000;

/** How long an idle key is remembered by default (LoginRateLimiterOptions.forgetAfterMs). */
export const FORGET_AFTER_MS = 24 * 60 * MINUTE;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ServerError(
      'CONFIG_INVALID',
      `LoginRateLimiter option ${name} must be a positive integer; got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * The limiter key for a login attempt: usernames compare as the store compares them
 * ({@link userNameKey}), so the failures against one account count together however it is spelt.
 */
export function loginKey(username: string, ip: string): string {
  // JSON keeps the two parts apart whatever characters they contain.
  return JSON.stringify([userNameKey(String(username).trim()), String(ip)]);
}

export class LoginRateLimiter {
  readonly #store: LoginThrottleSource;
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #lockoutMs: number;
  readonly #maxLockoutMs: number;
  readonly #forgetAfterMs: number;
  readonly #now: () => number;

  constructor(store: LoginThrottleSource, options: LoginRateLimiterOptions = {}) {
    this.#store = store;
    this.#maxFailures = positive('maxFailures', options.maxFailures, 5);
    this.#windowMs = positive('windowMs', options.windowMs, 15 * MINUTE);
    this.#lockoutMs = positive('lockoutMs', options.lockoutMs, MINUTE);
    this.#maxLockoutMs = positive('maxLockoutMs', options.maxLockoutMs, 60 * MINUTE);
    this.#forgetAfterMs = positive('forgetAfterMs', options.forgetAfterMs, FORGET_AFTER_MS);
    this.#now = options.now ?? Date.now;
    if (this.#maxLockoutMs < this.#lockoutMs) {
      throw new ServerError(
        'CONFIG_INVALID',
        'LoginRateLimiter option maxLockoutMs must be at least lockoutMs.',
      );
    }
  }

  /** True when `key` has failures or lockouts on record: its next attempt is a suspect one. */
  async hasHistory(key: string): Promise<boolean> {
    const entry = this.#live(await this.#store.getLoginThrottle(key), this.#now());
    return entry !== undefined && (entry.failures.length > 0 || entry.lockouts > 0);
  }

  /** Whether an attempt for `key` may proceed now. Call before checking the password. */
  async check(key: string): Promise<RateLimitDecision> {
    const now = this.#now();
    return this.#decide(this.#live(await this.#store.getLoginThrottle(key), now), now);
  }

  /**
   * Starts an attempt: refused when the key is locked out; otherwise counted as a failure at once,
   * before the slow password check, so that parallel attempts (on any replica) cannot all pass the
   * check before the first failure is counted. The attempt that reaches the limit still proceeds;
   * the next one is refused. `succeeded()` takes the attempt back (`clear`: and the key's history).
   */
  async begin(key: string, options: { readonly clearOnSuccess: boolean }): Promise<LoginAttempt> {
    const begun = await this.#update<number | RateLimitDecision>(key, (entry, now) => {
      const decision = this.#decide(entry, now);
      return decision.allowed
        ? { entry: this.#record(entry, now), result: now }
        : { entry, result: decision };
    });
    if (typeof begun !== 'number') return { ...begun, succeeded: async () => {} };
    const at = begun;
    return {
      allowed: true,
      retryAfterMs: 0,
      succeeded: async () => {
        if (options.clearOnSuccess) return this.succeed(key);
        await this.#update(key, (entry) => {
          const index = entry?.failures.lastIndexOf(at) ?? -1;
          if (entry === undefined || index < 0) return { entry, result: undefined };
          return {
            entry: { ...entry, failures: entry.failures.filter((_t, i) => i !== index) },
            result: undefined,
          };
        });
      },
    };
  }

  /** Records a failed attempt; returns the decision for the next attempt. */
  async fail(key: string): Promise<RateLimitDecision> {
    return this.#update(key, (entry, now) => {
      const next = this.#record(entry, now);
      return { entry: next, result: this.#decide(next, now) };
    });
  }

  /** Records a successful login: the key's failures and lockout history are cleared. */
  async succeed(key: string): Promise<void> {
    await this.#store.putLoginThrottle(key, undefined);
  }

  /** Deletes the entries idle for longer than the forget time; returns how many. */
  prune(): Promise<number> {
    // Idle for at least the forget time: the last activity and the lockout both ended by then.
    return this.#store.deleteLoginThrottles(this.#now() - this.#forgetAfterMs + 1);
  }

  /** Reads, changes and writes one key's entry in a transaction, so concurrent attempts all count. */
  #update<R>(
    key: string,
    change: (
      entry: LoginThrottle | undefined,
      now: number,
    ) => { entry: LoginThrottle | undefined; result: R },
  ): Promise<R> {
    return this.#store.transaction(
      async (tx) => {
        const now = this.#now();
        const before = this.#live(await tx.getLoginThrottle(key), now);
        const { entry, result } = change(before, now);
        if (entry !== before) await tx.putLoginThrottle(key, entry);
        return result;
      },
      { scope: `login ${key}` },
    );
  }

  #decide(entry: LoginThrottle | undefined, now: number): RateLimitDecision {
    if (entry === undefined || entry.lockedUntil <= now) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: entry.lockedUntil - now };
  }

  /** The entry with a failure counted now (locking the key out when it reaches the limit). */
  #record(entry: LoginThrottle | undefined, now: number): LoginThrottle {
    const failures = [...(entry?.failures ?? []).filter((t) => t > now - this.#windowMs), now];
    const lockouts = entry?.lockouts ?? 0;
    const lockedUntil = entry?.lockedUntil ?? 0;
    if (failures.length < this.#maxFailures) return { failures, lockedUntil, lockouts, lastActivity: now };
    // Doubling per lockout; the exponent is capped so the arithmetic stays finite.
    const length = this.#lockoutMs * 2 ** Math.min(lockouts, 40);
    return {
      failures: [],
      lockedUntil: Math.max(lockedUntil, now + Math.min(length, this.#maxLockoutMs)),
      lockouts: lockouts + 1,
      lastActivity: now,
    };
  }

  /** The entry, or undefined when it is idle long enough to be forgotten. */
  #live(entry: LoginThrottle | undefined, now: number): LoginThrottle | undefined {
    if (entry === undefined) return undefined;
    const idle = now - Math.max(entry.lastActivity, entry.lockedUntil);
    // Forgotten when idle long enough, or sooner when it never caused a lockout and its failures left the window.
    const harmless = entry.lockouts === 0 && idle >= this.#windowMs;
    if (entry.lockedUntil <= now && (harmless || idle >= this.#forgetAfterMs)) return undefined;
    return entry;
  }
}
