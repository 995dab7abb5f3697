/**
 * Brute-force protection for the login form. Failures are counted per (username, client address)
 * in a sliding window; reaching the limit locks that pair out, each further lockout twice as long
 * as the last (up to a ceiling). Keying on the pair, not the username alone, keeps an attacker
 * from locking a real user out from elsewhere. State is in memory and bounded: when full, the
 * least recently used entry is forgotten.
 */

import { ServerError } from '../errors.js';
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
  /** Most keys remembered. Default 10 000. */
  readonly maxEntries?: number;
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
  succeeded(): void;
}

interface Entry {
  /** Failure times inside the window, oldest first. */
  failures: number[];
  lockedUntil: number;
  /** Lockouts so far; sets the next lockout's length. */
  lockouts: number;
  lastActivity: number;
}

const MINUTE = 60_000;

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
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #lockoutMs: number;
  readonly #maxLockoutMs: number;
  readonly #forgetAfterMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  // Map iteration order is insertion order; entries are re-inserted on use, so the first is the LRU.
  readonly #entries = new Map<string, Entry>();

  constructor(options: LoginRateLimiterOptions = {}) {
    this.#maxFailures = positive('maxFailures', options.maxFailures, 5);
    this.#windowMs = positive('windowMs', options.windowMs, 15 * MINUTE);
    this.#lockoutMs = positive('lockoutMs', options.lockoutMs, MINUTE);
    this.#maxLockoutMs = positive('maxLockoutMs', options.maxLockoutMs, 60 * MINUTE);
    this.#forgetAfterMs = positive('forgetAfterMs', options.forgetAfterMs, 24 * 60 * MINUTE);
    this.#maxEntries = positive('maxEntries', options.maxEntries, 10_000);
    this.#now = options.now ?? Date.now;
    if (this.#maxLockoutMs < this.#lockoutMs) {
      throw new ServerError(
        'CONFIG_INVALID',
        'LoginRateLimiter option maxLockoutMs must be at least lockoutMs.',
      );
    }
  }

  /** Number of keys currently remembered. */
  get size(): number {
    return this.#entries.size;
  }

  /** True when `key` has failures or lockouts on record: its next attempt is a suspect one. */
  hasHistory(key: string): boolean {
    const entry = this.#live(key, this.#now());
    return entry !== undefined && (entry.failures.length > 0 || entry.lockouts > 0);
  }

  /** Whether an attempt for `key` may proceed now. Call before checking the password. */
  check(key: string): RateLimitDecision {
    const now = this.#now();
    const entry = this.#live(key, now);
    if (entry === undefined || entry.lockedUntil <= now) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: entry.lockedUntil - now };
  }

  /**
   * Starts an attempt: refused when the key is locked out; otherwise counted as a failure at once,
   * before the slow password check, so that parallel attempts cannot all pass the check before
   * the first failure is counted. The attempt that reaches the limit still proceeds; the next one
   * is refused. `succeeded()` takes the attempt back (`clear`: and the key's whole history).
   */
  begin(key: string, options: { readonly clearOnSuccess: boolean }): LoginAttempt {
    const decision = this.check(key);
    if (!decision.allowed) return { ...decision, succeeded: () => {} };
    const at = this.#record(key);
    return {
      allowed: true,
      retryAfterMs: 0,
      succeeded: () => {
        if (options.clearOnSuccess) {
          this.succeed(key);
          return;
        }
        const entry = this.#entries.get(key);
        const index = entry?.failures.lastIndexOf(at) ?? -1;
        if (entry !== undefined && index >= 0) entry.failures.splice(index, 1);
      },
    };
  }

  /** Records a failed attempt; returns the decision for the next attempt. */
  fail(key: string): RateLimitDecision {
    this.#record(key);
    return this.check(key);
  }

  /** Counts a failure now (locking the key out when it reaches the limit); returns its time. */
  #record(key: string): number {
    const now = this.#now();
    const entry = this.#live(key, now) ?? { failures: [], lockedUntil: 0, lockouts: 0, lastActivity: now };
    entry.lastActivity = now;
    entry.failures = entry.failures.filter((t) => t > now - this.#windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.#maxFailures) {
      // Doubling per lockout; the exponent is capped so the arithmetic stays finite.
      const length = this.#lockoutMs * 2 ** Math.min(entry.lockouts, 40);
      entry.lockedUntil = Math.max(entry.lockedUntil, now + Math.min(length, this.#maxLockoutMs));
      entry.lockouts += 1;
      entry.failures = [];
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#evict();
    return now;
  }

  /** Records a successful login: the key's failures and lockout history are cleared. */
  succeed(key: string): void {
    this.#entries.delete(key);
  }

  /** Forgets every entry that no longer affects decisions (optional housekeeping, e.g. on a timer). */
  prune(): void {
    const now = this.#now();
    for (const key of [...this.#entries.keys()]) this.#live(key, now);
  }

  /** The entry for `key`, dropping it first when it is idle long enough to be forgotten. */
  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const idle = now - Math.max(entry.lastActivity, entry.lockedUntil);
    // Forgotten when idle long enough, or sooner when it never caused a lockout and its failures left the window.
    const harmless = entry.lockouts === 0 && idle >= this.#windowMs;
    if (entry.lockedUntil <= now && (harmless || idle >= this.#forgetAfterMs)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #evict(): void {
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) return;
      this.#entries.delete(oldest.value);
    }
  }
}
