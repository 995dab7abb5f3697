import type { IncomingHttpHeaders } from 'node:http';
import type { SimResponse } from '../../server/frontend.js';
import type { AuthOutcome, Caller } from '../caller.js';
import { header, jsonResponse } from '../http.js';
import { webobError } from '../webob.js';
import { UNAUTHORIZED_MESSAGE } from './errors.js';

/**
 * What keystonemiddleware's auth_token filter does in front of Nova and Glance: read X-Auth-Token,
 * have it validated, and refuse the request with its own 401 when the token is missing or not
 * valid, pointing at Keystone in WWW-Authenticate.
 */

/** Validates a token; undefined when it is not (or no longer) valid. */
export type TokenValidator = (token: string) => Caller | undefined | Promise<Caller | undefined>;

/** The validator could not reach Keystone at all. */
export class IdentityUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityUnavailable';
  }
}

export async function authenticateToken(
  headers: IncomingHttpHeaders,
  validate: TokenValidator,
  identityUri: string,
): Promise<AuthOutcome> {
  const token = header(headers, 'x-auth-token')?.trim();
  try {
    const caller = token ? await validate(token) : undefined;
    return caller ? { caller } : { refusal: middlewareUnauthorized(identityUri) };
  } catch (error) {
    if (error instanceof IdentityUnavailable) {
      return { refusal: webobError(503, 'The Keystone service is temporarily unavailable.', headers) };
    }
    throw error;
  }
}

/** keystonemiddleware's rejection: always the same body, whatever was wrong with the token. */
export function middlewareUnauthorized(identityUri: string): SimResponse {
  return jsonResponse(
    401,
    { error: { code: 401, title: 'Unauthorized', message: UNAUTHORIZED_MESSAGE } },
    { 'www-authenticate': `Keystone uri="${identityUri}"` },
  );
}
