import type { OutgoingRequest } from '@slipstream/connector-core';

/**
 * The extension seam: how a session proves who it is (an {@link Authenticator}) and where each
 * OpenStack service lives (an {@link EndpointResolver}). The OpenStack connector plugs in Keystone
 * password authentication and a service-catalog lookup; a cloud built on OpenStack (Open Telekom
 * Cloud) plugs in its own — an AK/SK request signer and fixed regional URLs — and reuses the rest.
 */

/** The services a session talks to. */
export type ServiceKind = 'compute' | 'image' | 'network';

/**
 * A request about to be sent, complete except for its credentials: core's, as the transport's
 * `sign` hook hands it over before each attempt. Headers are the ones the connector set
 * (lowercase names), e.g. content-type and the Nova microversion; the body is the exact JSON text.
 */
export type { OutgoingRequest };

/** What an authenticator adds to one request. */
export interface Authorization {
  /** Headers merged into the request: `x-auth-token`, or `authorization` + `x-sdk-date` when signing. */
  readonly headers: Readonly<Record<string, string>>;
  /** Values scrubbed from that request's logs and errors: the token, the signature. */
  readonly secrets: readonly string[];
}

export interface Authenticator {
  /**
   * Credentials for one attempt of a request, asked before each attempt (a retry is authorized
   * afresh). May call the identity service first (and cache what it got); fails AUTH_FAILED when
   * the identity service refuses the credentials.
   */
  authorize(request: OutgoingRequest, signal?: AbortSignal): Promise<Authorization>;
  /**
   * A request authorized with `authorization` was answered 401. Forget what made it (a cached
   * token) and return true when authorizing afresh may succeed: the client then re-sends the
   * request once. Return false when nothing would change (a signature with fixed keys).
   */
  rejected(authorization: Authorization): boolean;
  /** Values scrubbed from every request of the session: the password, the secret key. */
  readonly secrets: readonly string[];
  /** Forgets what it cached (a token): the session is closing. */
  forget?(): void;
}

export interface EndpointResolver {
  /**
   * The base URL of a service, without a trailing slash:
   * - compute: the Nova v2.1 root as the catalog gives it, project id included when present
   *   (`https://nova.example.com/v2.1` or `.../v2.1/<project id>`); a root without a version
   *   gets `/v2.1` appended;
   * - image: the Glance root, with or without `/v2` (the client appends `/v2/images`);
   * - network: the Neutron root, with or without `/v2.0`.
   * Fails CONFIG_INVALID (naming the parameter to fix) when the service cannot be found.
   */
  endpoint(service: ServiceKind, signal?: AbortSignal): Promise<string>;
}

/** One user's access to a cloud: the pair a session is built on. */
export interface SessionAccess {
  readonly authenticator: Authenticator;
  readonly endpoints: EndpointResolver;
  /**
   * Who the session acts for, e.g. `user@domain/project@https://keystone`: sessions with the same
   * owner share the record of servers they deleted, so that terminating one again succeeds.
   */
  readonly owner: string;
}
