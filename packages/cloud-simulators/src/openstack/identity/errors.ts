import type { SimResponse } from '../../server/frontend.js';
import { jsonResponse } from '../http.js';
import { statusTitle } from '../webob.js';

/**
 * Keystone's error answers, `{"error": {"code", "message", "title"}}`, and the exception messages
 * the token API raises (keystone/exception.py). Security errors show only their generic text, as
 * Keystone does outside `insecure_debug` mode.
 */

export class KeystoneError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'KeystoneError';
    this.status = status;
  }
}

export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

export const unauthorized = (message = UNAUTHORIZED_MESSAGE): KeystoneError =>
  new KeystoneError(401, message);

/** exception.ValidationError: an expected attribute is missing. */
export function missingAttribute(attribute: string, target: string): KeystoneError {
  return new KeystoneError(
    400,
    `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
  );
}

/** exception.SchemaValidationError, worded as keystone's JSON-schema validator words it. */
export const schemaError = (detail: string): KeystoneError => new KeystoneError(400, detail);

export function keystoneErrorResponse(
  status: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): SimResponse {
  return jsonResponse(status, { error: { code: status, message, title: statusTitle(status) } }, headers);
}
