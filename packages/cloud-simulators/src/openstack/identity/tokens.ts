import { randomBytes } from 'node:crypto';
import type { Clock } from '../../model/clock.js';
import type { Project, User } from './directory.js';

/**
 * The tokens the built-in Keystone issued. They are opaque random strings shaped like Fernet
 * tokens (`gAAAAAB` + URL-safe base64), looked up here rather than decrypted; a token is valid
 * until its expiry or until it is revoked.
 */

export interface IssuedToken {
  readonly id: string;
  readonly user: User;
  /** Undefined for an unscoped token. */
  readonly project: Project | undefined;
  readonly methods: readonly string[];
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly auditId: string;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

const PRUNE_AT = 10_000;

export class TokenStore {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #revoked = new Set<string>();

  constructor(clock: Clock, ttlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS) {
    if (!(ttlSeconds > 0)) throw new RangeError(`A token lifetime must be positive; got ${ttlSeconds} s.`);
    this.#clock = clock;
    this.#ttlMs = ttlSeconds * 1000;
  }

  issue(user: User, project: Project | undefined, methods: readonly string[]): IssuedToken {
    const now = this.#clock.now();
    const token: IssuedToken = {
      id: `gAAAAAB${randomBytes(132).toString('base64url')}`,
      user,
      project,
      methods: [...methods],
      issuedAt: now,
      expiresAt: now + this.#ttlMs,
      // Keystone's audit ids are 22 characters of URL-safe base64.
      auditId: randomBytes(16).toString('base64url').slice(0, 22),
    };
    if (this.#tokens.size >= PRUNE_AT) this.#prune(now);
    this.#tokens.set(token.id, token);
    return token;
  }

  /** The token if it exists, has not expired and was not revoked. */
  valid(id: string | undefined): IssuedToken | undefined {
    if (id === undefined) return undefined;
    const token = this.#tokens.get(id.trim());
    if (!token || this.#revoked.has(token.id) || this.#clock.now() >= token.expiresAt) return undefined;
    return token;
  }

  revoke(id: string): boolean {
    if (!this.#tokens.has(id)) return false;
    this.#revoked.add(id);
    return true;
  }

  /** A long-running simulator forgets tokens that can no longer be used. */
  #prune(now: number): void {
    for (const [id, token] of this.#tokens) {
      if (now >= token.expiresAt || this.#revoked.has(id)) {
        this.#tokens.delete(id);
        this.#revoked.delete(id);
      }
    }
  }

  /** Every token issued so far stops working, as after a key rotation: clients must authenticate again. */
  expireAll(): void {
    for (const id of this.#tokens.keys()) this.#revoked.add(id);
  }
}
