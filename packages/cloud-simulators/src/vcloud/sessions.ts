import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../model/clock.js';
import type { SimCloud } from '../model/cloud.js';
import type { SimAccount } from '../model/types.js';
import { loginRefused, notAuthenticated } from './errors.js';

/**
 * Logins and bearer tokens. A tenant logs in with `POST /cloudapi/1.0.0/sessions` and HTTP Basic
 * `user@org:password`; vCD answers the session and an access token (a JWT) in
 * X-VMWARE-VCLOUD-ACCESS-TOKEN, which every later call sends as `Authorization: Bearer <token>`.
 * Accounts are the organization's users: the key is the user name, the secret the password. A
 * token stops working when it expires (`tokenTtlMs`), at logout, when the tests expire every token,
 * and when the account's key is expired or revoked.
 */

export interface Session {
  /** urn:vcloud:session:<uuid> */
  readonly id: string;
  readonly token: string;
  readonly account: SimAccount;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
}

export class Sessions {
  readonly #cloud: SimCloud;
  readonly #clock: Clock;
  readonly #org: string;
  readonly #ttlMs: number;
  readonly #byToken = new Map<string, Session>();

  constructor(cloud: SimCloud, org: string, ttlMs: number) {
    this.#cloud = cloud;
    this.#clock = cloud.clock;
    this.#org = org;
    this.#ttlMs = ttlMs;
  }

  /** Checks `Authorization: Basic base64(user@org:password)` and opens a session. */
  login(authorization: string | undefined): Session {
    const credentials = basicCredentials(authorization);
    if (!credentials) throw loginRefused();
    const at = credentials.user.lastIndexOf('@');
    const username = at > 0 ? credentials.user.slice(0, at) : credentials.user;
    const org = at > 0 ? credentials.user.slice(at + 1) : '';
    // vCD matches organization names without regard to case; user names and passwords exactly.
    if (org.toLowerCase() !== this.#org.toLowerCase()) throw loginRefused();
    const account = this.#cloud.accountByKey(username);
    if (account?.status !== 'active' || account.secret !== credentials.password) throw loginRefused();
    const now = this.#clock.now();
    const session: Session = {
      id: `urn:vcloud:session:${randomUUID()}`,
      token: accessToken(account.key, this.#org, now, this.#ttlMs),
      account,
      issuedAt: now,
      expiresAt: now + this.#ttlMs,
      revoked: false,
    };
    this.#byToken.set(session.token, session);
    return session;
  }

  /** The session of `Authorization: Bearer <token>`, or vCD's 401 when it has none that works. */
  authenticate(authorization: string | undefined): Session {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const session = match?.[1] === undefined ? undefined : this.#byToken.get(match[1]);
    if (!session || session.revoked || this.#clock.now() >= session.expiresAt) throw notAuthenticated();
    if (session.account.status !== 'active') throw notAuthenticated();
    return session;
  }

  logout(session: Session): void {
    session.revoked = true;
    this.#byToken.delete(session.token);
  }

  /** Every token issued so far stops working. */
  expireAll(): void {
    for (const session of this.#byToken.values()) session.revoked = true;
    this.#byToken.clear();
  }
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A token shaped as vCD's: a JWT (header, claims, RS256-sized signature). Its signature is random
 * bytes: the simulator looks tokens up rather than verifying them, and clients only pass them on.
 */
function accessToken(user: string, org: string, now: number, ttlMs: number): string {
  const header = base64url({ alg: 'RS256', typ: 'JWT' });
  const claims = base64url({
    iss: 'vcloud-simulator',
    sub: user,
    org,
    iat: Math.floor(now / 1000),
    exp: Math.floor((now + ttlMs) / 1000),
    jti: randomUUID(),
    version: 'vcloud_1.0',
  });
  return `${header}.${claims}.${randomBytes(256).toString('base64url')}`;
}
