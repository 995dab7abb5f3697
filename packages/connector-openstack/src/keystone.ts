import {
  ConnectorError,
  type HttpTransport,
  type Logger,
  raceSignal,
  silentLogger,
} from '@slipstream/connector-core';
import type { Authenticator, Authorization, OutgoingRequest } from './access.js';
import { errorFromResponse, unexpectedAnswer } from './errors.js';
import { type CatalogService, type CatalogSource, parseCatalog } from './service-catalog.js';
import { type DomainRef, type ProjectScope, passwordAuthBody, tokensUrl } from './signing.js';

/**
 * Keystone v3 password authentication (api-ref identity v3, POST /v3/auth/tokens with the
 * `password` method and a project scope). The token comes back in the X-Subject-Token header and
 * the body gives its `expires_at` and the service catalog. One token serves the whole session: it
 * is reused until shortly before it expires, shared among concurrent callers, and dropped when a
 * service answers 401 so that the next request authenticates afresh.
 */

export interface KeystonePasswordAuthOptions {
  readonly http: HttpTransport;
  /** Keystone's v3 root (`https://keystone.example.com/v3`), or its unversioned root. */
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly userDomain: DomainRef;
  readonly project: ProjectScope;
  /** Renew a token this long before it expires (at most half its lifetime); default 120 s. */
  readonly renewBeforeMs?: number | undefined;
  /** Clock, for tests; default Date.now. */
  readonly now?: (() => number) | undefined;
  readonly logger?: Logger | undefined;
}

export interface KeystoneToken {
  /** The token itself: a secret. */
  readonly value: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly catalog: readonly CatalogService[];
  readonly project: { readonly id: string; readonly name: string | undefined } | undefined;
  readonly user: { readonly id: string; readonly name: string | undefined } | undefined;
}

const DEFAULT_RENEW_BEFORE_MS = 120_000;

function named(value: unknown): { id: string; name: string | undefined } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, name } = value as Record<string, unknown>;
  return typeof id === 'string' ? { id, name: typeof name === 'string' ? name : undefined } : undefined;
}

export class KeystonePasswordAuth implements Authenticator, CatalogSource {
  readonly secrets: readonly string[];
  readonly #options: KeystonePasswordAuthOptions;
  readonly #url: string;
  readonly #now: () => number;
  #token: KeystoneToken | undefined;
  /** When the cached token is renewed, on this host's clock. */
  #renewAt = 0;
  #pending: Promise<KeystoneToken> | undefined;
  /** Bumped by forget(): a login that was in flight then must not cache its token afterwards. */
  #generation = 0;

  constructor(options: KeystonePasswordAuthOptions) {
    this.#options = options;
    this.#url = tokensUrl(options.authUrl);
    this.#now = options.now ?? Date.now;
    this.secrets = [options.password];
  }

  /** The session's token: the cached one while it is fresh, else a new one (one request for all callers). */
  async token(signal?: AbortSignal): Promise<KeystoneToken> {
    const cached = this.#token;
    if (cached && this.#now() < this.#renewAt) return cached;
    // Not the caller's signal: one caller giving up must not fail the others sharing the request.
    // The transport's timeout bounds it; each caller stops waiting when its own signal fires.
    if (!this.#pending) {
      const pending = this.#issue().finally(() => {
        // Only this login's own slot: forget() may have started another one meanwhile.
        if (this.#pending === pending) this.#pending = undefined;
      });
      this.#pending = pending;
    }
    return raceSignal(this.#pending, signal, 'Keystone authentication');
  }

  async catalog(signal?: AbortSignal): Promise<readonly CatalogService[]> {
    return (await this.token(signal)).catalog;
  }

  async authorize(_request: OutgoingRequest, signal?: AbortSignal): Promise<Authorization> {
    const token = await this.token(signal);
    return { headers: { 'x-auth-token': token.value }, secrets: [token.value] };
  }

  rejected(authorization: Authorization): boolean {
    // Forget the token that was refused, unless another request has already replaced it.
    if (this.#token && authorization.headers['x-auth-token'] === this.#token.value) this.#token = undefined;
    return true;
  }

  /** Forgets the token, e.g. when the session closes. */
  forget(): void {
    this.#token = undefined;
    this.#pending = undefined;
    this.#generation += 1;
  }

  /**
   * When to renew a token requested at `requested`: shortly before it expires, measured by its
   * lifetime (expires_at - issued_at) on this host's clock, so that a clock skew between this
   * host and Keystone neither renews every token at once nor keeps an expired one. The margin is
   * at most half the lifetime, so that a short-lived token is still reused.
   */
  #renewTime(requested: number, expiresAt: number, issuedAt: number): number {
    const lifetime =
      Number.isNaN(issuedAt) || issuedAt >= expiresAt ? expiresAt - requested : expiresAt - issuedAt;
    const margin = Math.min(
      this.#options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS,
      Math.max(0, lifetime / 2),
    );
    return requested + lifetime - margin;
  }

  async #issue(): Promise<KeystoneToken> {
    const { http, password } = this.#options;
    const secrets = [password];
    const requested = this.#now();
    const generation = this.#generation;
    const response = await http.request({
      method: 'POST',
      url: this.#url,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(passwordAuthBody(this.#options)),
      // Asking for a token again is harmless: nothing is created that a retry would duplicate.
      idempotent: true,
      secrets,
      mapError: (answer) => errorFromResponse('Keystone', 'create-token', answer, secrets),
    });
    const value = response.headers['x-subject-token'];
    if (value === undefined || value === '') {
      throw unexpectedAnswer('Keystone', 'create-token', 'no X-Subject-Token header');
    }
    const body = response.json<{ token?: Record<string, unknown> }>();
    const token = body?.token;
    if (typeof token !== 'object' || token === null) {
      throw unexpectedAnswer('Keystone', 'create-token', 'no "token" object');
    }
    const expiresAt = Date.parse(String(token.expires_at));
    if (Number.isNaN(expiresAt)) {
      throw unexpectedAnswer(
        'Keystone',
        'create-token',
        `"expires_at" is ${JSON.stringify(token.expires_at)}`,
      );
    }
    const issuedAt = Date.parse(String(token.issued_at));
    const project = named(token.project);
    if (project === undefined) {
      // An unscoped token lists no endpoints: the credentials name no project we may work in.
      throw new ConnectorError(
        'AUTH_FAILED',
        'Keystone issued a token without a project scope; check the project credential.',
      );
    }
    const issued: KeystoneToken = {
      value,
      expiresAt,
      catalog: parseCatalog(token.catalog),
      project,
      user: named(token.user),
    };
    (this.#options.logger ?? silentLogger).debug(
      { project: project.id, expiresAt: new Date(expiresAt).toISOString() },
      'keystone token issued',
    );
    if (generation === this.#generation) {
      this.#token = issued;
      this.#renewAt = this.#renewTime(requested, expiresAt, issuedAt);
    }
    return issued;
  }
}
