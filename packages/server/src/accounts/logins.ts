/**
 * Logging in and the login sessions it starts. Failed logins are limited per (user name, address)
 * and per address across names; each attempt counts before the slow password check, so that
 * attempts sent at once count as many. Password checks in flight are bounded per address, and in
 * all for suspect attempts, so that guessers cannot hold every hashing thread.
 */

import { randomBytes } from 'node:crypto';
import { ServerError } from '../errors.js';
import { generateCsrfToken } from '../security/csrf.js';
import { generatePassword } from '../security/generated.js';
import { InFlightLimit } from '../security/in-flight.js';
import { hashPassword, verifyPassword } from '../security/passwords.js';
import { type LoginRateLimiter, loginKey } from '../security/rate-limit.js';
import type { SessionRecord, Store, UserRecord } from '../store/types.js';

export interface LoginGateOptions {
  readonly store: Store;
  /** Failed logins per (username, address): locks out guessing one user's password. */
  readonly limiter: LoginRateLimiter;
  /** Failed logins per address, whatever the username: locks out trying one password on many users. */
  readonly addressLimiter: LoginRateLimiter;
  /**
   * Password checks in flight at once per client address, and in all for suspect attempts (from an
   * address, or for a user and address, with failures on record); default 2 each.
   */
  readonly checksInFlight?: { readonly perAddress?: number; readonly suspect?: number } | undefined;
  readonly sessionTtlMs: number;
  readonly now: () => Date;
}

/** One message for an unknown user and a wrong password, so logins cannot be used to list users. */
const WRONG_CREDENTIALS = 'The username or password is wrong; check both and try again.';

export interface LoggedIn {
  readonly user: UserRecord;
  readonly session: SessionRecord;
}

export class LoginGate {
  readonly #options: LoginGateOptions;
  readonly #addressChecks: InFlightLimit;
  readonly #suspectChecks: InFlightLimit;
  /** Unknown users are checked against this hash too, so they take as long as a wrong password. */
  #dummyHash: Promise<string> | undefined;

  constructor(options: LoginGateOptions) {
    this.#options = options;
    this.#addressChecks = new InFlightLimit(options.checksInFlight?.perAddress ?? 2);
    this.#suspectChecks = new InFlightLimit(options.checksInFlight?.suspect ?? 2);
  }

  /** Checks the password and starts a login session; AUTH_FAILED or RATE_LIMITED otherwise. */
  async logIn(username: string, password: string, address: string): Promise<LoggedIn> {
    const { store, limiter, addressLimiter } = this.#options;
    const key = loginKey(username, address);
    const addressKey = `address ${address}`;
    // A burst is refused at once rather than queued; guessers, who fail, hold at most the suspect
    // slots, so a login with a clean record (the user's own) never waits behind them.
    const leaveAddress = this.#addressChecks.tryEnter(addressKey);
    let leaveSuspect: (() => void) | undefined;
    if (leaveAddress !== undefined) {
      try {
        const suspect = (await limiter.hasHistory(key)) || (await addressLimiter.hasHistory(addressKey));
        leaveSuspect = suspect ? this.#suspectChecks.tryEnter('suspect') : () => {};
      } finally {
        if (leaveSuspect === undefined) leaveAddress();
      }
    }
    if (leaveAddress === undefined || leaveSuspect === undefined) {
      throw new ServerError('RATE_LIMITED', 'Too many logins in progress; try again in a moment.', {
        retryAfterMs: 1000,
      });
    }
    let user: UserRecord | undefined;
    try {
      const forAddress = await addressLimiter.begin(addressKey, { clearOnSuccess: false });
      if (!forAddress.allowed) {
        throw new ServerError(
          'RATE_LIMITED',
          'Too many failed logins from your address; wait and try again later.',
          {
            retryAfterMs: forAddress.retryAfterMs,
          },
        );
      }
      const forPair = await limiter.begin(key, { clearOnSuccess: true });
      if (!forPair.allowed) {
        // Refused before any check: not an attempt of the address's.
        await forAddress.succeeded();
        throw new ServerError(
          'RATE_LIMITED',
          'Too many failed logins for this user from your address; wait and try again later.',
          { retryAfterMs: forPair.retryAfterMs },
        );
      }
      user = await store.getUserByName(username);
      const matches = await verifyPassword(password, user?.passwordHash ?? (await this.#dummy()));
      if (user === undefined || !matches || user.disabled === true) {
        throw new ServerError('AUTH_FAILED', WRONG_CREDENTIALS);
      }
      // The pair starts afresh; the address only gets this attempt back: logging in to one's own
      // account must not clear the address's failures.
      await forPair.succeeded();
      await forAddress.succeeded();
    } finally {
      leaveSuspect();
      leaveAddress();
    }
    const session: SessionRecord = {
      id: randomBytes(32).toString('base64url'),
      userId: user.id,
      csrfToken: generateCsrfToken(),
      expiresAt: new Date(this.#options.now().getTime() + this.#options.sessionTtlMs).toISOString(),
    };
    await store.createSession(session);
    return { user, session };
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(generatePassword());
    return this.#dummyHash;
  }
}

export interface LoginSession {
  readonly session: SessionRecord;
  readonly user: UserRecord;
}

/**
 * The live login session with this id, with its user; undefined when there is none, it expired
 * (and is then deleted) or its user is disabled.
 */
export async function findLoginSession(
  store: Store,
  sessionId: string | undefined,
  now: Date,
): Promise<LoginSession | undefined> {
  if (sessionId === undefined) return undefined;
  const session = await store.getSession(sessionId);
  if (session === undefined) return undefined;
  if (Date.parse(session.expiresAt) <= now.getTime()) {
    await store.deleteSession(sessionId);
    return undefined;
  }
  const user = await store.getUser(session.userId);
  if (user === undefined || user.disabled === true) return undefined;
  return { session, user };
}
