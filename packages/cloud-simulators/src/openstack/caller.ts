import type { IncomingHttpHeaders } from 'node:http';
import type { SimResponse } from '../server/frontend.js';

/**
 * Who a Nova or Glance request comes from once its credentials are checked: the model account
 * the project maps to, and the Keystone identity as keystonemiddleware passes it on.
 */
export interface Caller {
  /** The model account (SimAccount.id) the project's resources live in. */
  readonly account: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly userId: string;
  readonly userName: string;
  readonly roles: readonly string[];
}

/** The outcome of checking a request's credentials: a caller, or the answer that refuses it. */
export type AuthOutcome = { readonly caller: Caller } | { readonly refusal: SimResponse };

/** Checks the credentials of a request to a service (a token by default; OTC adds AK/SK signatures). */
export type ServiceAuthenticator = (request: {
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  readonly url: URL;
  readonly body: string;
}) => AuthOutcome | Promise<AuthOutcome>;
