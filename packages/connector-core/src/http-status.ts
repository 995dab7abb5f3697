import type { ErrorCode } from './errors.js';

/**
 * What an HTTP error status means for every connector, in one table: the ConnectorError code
 * callers branch on, whether the caller may try the same call again later (`retryable`, which is
 * the code's default), and which requests core's transport repeats by itself before reporting the
 * status. A connector whose cloud documents a status differently (CloudStack's 531, Exoscale's
 * 403 for a bad signature) passes those statuses as exceptions to {@link errorCodeForStatus}, and
 * says why next to them; it never keeps a table of its own.
 */

export interface StatusMeaning {
  readonly code: ErrorCode;
  /** The caller may try the same call again later and expect it to work: ConnectorError.retryable. */
  readonly retryable: boolean;
  /**
   * Requests core's transport repeats itself (backoff, Retry-After) before failing: `any`, only
   * `idempotent` ones (the cloud may have acted on the first), or `none`.
   */
  readonly transportRetries: 'any' | 'idempotent' | 'none';
  /** What the status says about the request and the cloud. */
  readonly meaning: string;
}

/** Codes a connector may give a status in place of the table's: what clouds answer besides it. */
export type StatusExceptions = Readonly<Partial<Record<number, ErrorCode>>>;

const row = (
  code: ErrorCode,
  retryable: boolean,
  transportRetries: StatusMeaning['transportRetries'],
  meaning: string,
): StatusMeaning => Object.freeze({ code, retryable, transportRetries, meaning });

export const HTTP_STATUS_MEANINGS: Readonly<Record<number, StatusMeaning>> = Object.freeze({
  400: row('INVALID_REQUEST', false, 'none', 'The request is malformed or names something invalid.'),
  401: row(
    'AUTH_FAILED',
    false,
    'none',
    'The cloud refuses the credentials. A client holding a token renews it once and tries again itself.',
  ),
  403: row('PERMISSION_DENIED', false, 'none', 'The credentials are good but may not do this.'),
  404: row('NOT_FOUND', false, 'none', 'The resource does not exist, or no longer does.'),
  408: row('TIMEOUT', true, 'none', 'The server gave up waiting for the request to arrive.'),
  409: row(
    'INVALID_REQUEST',
    false,
    'none',
    "The request conflicts with the resource's current state (a VM in the wrong state, a name taken).",
  ),
  429: row(
    'RATE_LIMITED',
    true,
    'any',
    'Too many requests: nothing was done, and Retry-After says when to come back.',
  ),
  500: row(
    'CLOUD_ERROR',
    false,
    'none',
    'The cloud failed while handling the request; it may have acted first, and the same request usually fails the same way.',
  ),
  501: row('UNSUPPORTED', false, 'none', 'The cloud does not implement this call.'),
  502: row(
    'CLOUD_UNAVAILABLE',
    true,
    'idempotent',
    'A gateway got no valid answer from the cloud behind it, which may have received the request.',
  ),
  503: row(
    'CLOUD_UNAVAILABLE',
    true,
    'any',
    'The cloud is overloaded or in maintenance and did not handle the request.',
  ),
  504: row(
    'TIMEOUT',
    true,
    'idempotent',
    'A gateway stopped waiting for the cloud; the request may still complete there.',
  ),
});

const REDIRECT = row(
  'CLOUD_ERROR',
  false,
  'none',
  'A redirect: connectors follow none, so the endpoint is not where the API answers.',
);
const OTHER_CLIENT_ERROR = row('INVALID_REQUEST', false, 'none', 'The cloud refuses the request as it is.');
const OTHER_SERVER_ERROR = row('CLOUD_ERROR', false, 'none', 'The cloud failed to handle the request.');

/** The table's row for a status; 3xx, 4xx and 5xx statuses it does not list share their class's row. */
export function statusMeaning(status: number): StatusMeaning {
  const listed = HTTP_STATUS_MEANINGS[status];
  if (listed) return listed;
  if (status < 400) return REDIRECT;
  return status < 500 ? OTHER_CLIENT_ERROR : OTHER_SERVER_ERROR;
}

/** The code of an error status: the connector's documented exception for it, else the table's. */
export function errorCodeForStatus(status: number, exceptions?: StatusExceptions): ErrorCode {
  return exceptions?.[status] ?? statusMeaning(status).code;
}
