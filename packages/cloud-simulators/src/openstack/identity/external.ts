import { createHash, randomBytes } from 'node:crypto';
import type { SimCloud } from '../../model/cloud.js';
import type { Caller } from '../caller.js';
import { parseIso } from '../dates.js';
import { isObject } from '../http.js';
import { IdentityUnavailable } from './middleware.js';

/**
 * Token validation against a real Keystone, as keystonemiddleware does it: GET {v3}/auth/tokens
 * with the token as both X-Auth-Token and X-Subject-Token (a user may validate its own token), the
 * answer cached for at most five minutes (the middleware's token_cache_time) and never beyond the
 * token's expiry. Each project Keystone names becomes a model account the first time it is seen.
 */

const CACHE_MS = 300_000;

interface Cached {
  readonly caller: Caller;
  readonly until: number;
}

export class ExternalKeystone {
  /** The v3 root, e.g. `http://127.0.0.1:5000/v3`. */
  readonly url: string;
  readonly #cloud: SimCloud;
  /** Project id → model account id. */
  readonly #accounts = new Map<string, string>();
  /** Keyed by a hash of the token, so the cache holds no usable token. */
  readonly #cache = new Map<string, Cached>();

  constructor(cloud: SimCloud, url: string) {
    this.#cloud = cloud;
    this.url = url.replace(/\/+$/, '');
  }

  async validate(token: string): Promise<Caller | undefined> {
    const key = createHash('sha256').update(token).digest('hex');
    const now = this.#cloud.clock.now();
    const cached = this.#cache.get(key);
    if (cached && now < cached.until) return cached.caller;
    this.#cache.delete(key);
    const validated = await this.#fetch(token);
    if (!validated) return undefined;
    this.#cache.set(key, { caller: validated.caller, until: Math.min(now + CACHE_MS, validated.expiresAt) });
    return validated.caller;
  }

  async #fetch(token: string): Promise<{ caller: Caller; expiresAt: number } | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/auth/tokens`, {
        headers: { 'x-auth-token': token, 'x-subject-token': token, accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new IdentityUnavailable(`Keystone at ${this.url} did not answer: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403 || response.status === 404) return undefined;
    if (response.status !== 200) {
      throw new IdentityUnavailable(
        `Keystone at ${this.url} answered ${response.status} to a token validation.`,
      );
    }
    return this.#callerFrom(text);
  }

  #callerFrom(text: string): { caller: Caller; expiresAt: number } | undefined {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new IdentityUnavailable(
        `Keystone at ${this.url} answered a token validation with something not JSON.`,
      );
    }
    const token = isObject(body) ? body.token : undefined;
    if (!isObject(token)) return undefined;
    const { project, user, roles } = token;
    const expiresAt = typeof token.expires_at === 'string' ? parseIso(token.expires_at) : undefined;
    // Only project-scoped tokens reach Nova's and Glance's resources.
    if (!isObject(project) || !isObject(user) || expiresAt === undefined) return undefined;
    const projectId = String(project.id);
    const projectName = String(project.name ?? projectId);
    return {
      expiresAt,
      caller: {
        account: this.#accountOf(projectId, projectName),
        projectId,
        projectName,
        userId: String(user.id),
        userName: String(user.name ?? user.id),
        roles: Array.isArray(roles)
          ? roles.flatMap((role) => (isObject(role) && typeof role.name === 'string' ? [role.name] : []))
          : [],
      },
    };
  }

  /** The model account of a Keystone project, created the first time the project calls. */
  #accountOf(projectId: string, projectName: string): string {
    const known = this.#accounts.get(projectId);
    if (known) return known;
    const account = this.#cloud.addAccount({
      // Nobody signs with these: the account is reached through Keystone's tokens only.
      key: `keystone-project:${projectId}`,
      secret: randomBytes(24).toString('base64url'),
      name: projectName,
    });
    this.#accounts.set(projectId, account.id);
    return account.id;
  }

  /** Forgets every validated token, so the next call asks Keystone again. */
  forgetTokens(): void {
    this.#cache.clear();
  }
}
