/**
 * CSRF protection for the cookie-authenticated web pages. Each session gets a random token, kept
 * server-side with the session and embedded in pages; every state-changing request must send it
 * back (header or form field). A cross-site form can make the browser send the cookie but cannot
 * read the token, so it cannot submit it. Requests authenticated by API token (no cookie) do not
 * need this check.
 */

import { randomBytes } from 'node:crypto';
import { ServerError } from '../errors.js';
import { constantTimeEqual } from './generated.js';

/** Request header carrying the token for fetch/XHR requests. */
export const CSRF_HEADER = 'x-csrf-token';
/** Form field carrying the token for plain HTML form posts. */
export const CSRF_FIELD = '_csrf';

/** Methods that must not change state (RFC 9110 §9.2.1) and are therefore exempt. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** A new per-session token (256 random bits, base64url). */
export function generateCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** True when a request with this method needs a CSRF token. */
export function requiresCsrfToken(method: string): boolean {
  return !SAFE_METHODS.has(String(method).toUpperCase());
}

/**
 * True when `submitted` equals the session's token, compared in constant time. Missing, empty,
 * repeated (a header or field sent twice arrives as an array) or non-string values never match.
 */
export function csrfTokenMatches(expected: unknown, submitted: unknown): boolean {
  if (typeof expected !== 'string' || expected.length === 0) return false;
  if (typeof submitted !== 'string' || submitted.length === 0) return false;
  return constantTimeEqual(expected, submitted);
}

export interface CsrfCheck {
  readonly method: string;
  /** The token stored with the caller's session. */
  readonly expected: string | undefined;
  /** What the request sent: the header value, else the form field. */
  readonly submitted: unknown;
}

/** Throws PERMISSION_DENIED when a state-changing request lacks its session's CSRF token. */
export function assertCsrfToken(check: CsrfCheck): void {
  if (!requiresCsrfToken(check.method)) return;
  if (csrfTokenMatches(check.expected, check.submitted)) return;
  const missing = check.submitted === undefined || check.submitted === '';
  throw new ServerError(
    'PERMISSION_DENIED',
    missing
      ? `The request has no CSRF token; send the page's token in the ${CSRF_HEADER} header or the ${CSRF_FIELD} form field.`
      : 'The CSRF token does not match this session (the page is stale or the request came from another site); reload the page and try again.',
  );
}
