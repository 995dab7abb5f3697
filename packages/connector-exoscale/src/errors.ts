import {
  ConnectorError,
  type ErrorCode,
  errorCodeForStatus,
  type HttpResponse,
  parseRetryAfter,
  type StatusExceptions,
  statusMeaning,
} from '@slipstream/connector-core';

/**
 * Exoscale's failures as ConnectorErrors. Error answers carry `{"message": "..."}` (newer
 * endpoints use RFC 9457 `title`/`detail`; egoscale v3 reads `error` too). Statuses mean what
 * core's table says, except where Exoscale's error taxonomy (the exoscale/ex library) documents
 * otherwise. Messages quote what Exoscale said and how to fix it, never a credential.
 */

const QUOTED_CHARS = 300;

/** The message of an Exoscale error body, or of any body, shortened. */
export function exoscaleMessage(body: string): string | undefined {
  let text: string | undefined;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    if (parsed && typeof parsed === 'object') {
      const detail = [parsed.message, parsed.error, parsed.detail, parsed.title].find(
        (value): value is string => typeof value === 'string' && value.trim() !== '',
      );
      text = detail;
    }
  } catch {
    text = body.trim() || undefined;
  }
  if (text === undefined) return undefined;
  return text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text;
}

const QUOTA = /quota|limit/i;

/**
 * Where Exoscale's documented statuses differ from core's table: its API answers a refused
 * signature, an expired request and an expired or revoked API key with 403 (egoscale reads 403 as
 * "forbidden" alongside 401), so a 403 says the credentials are wrong, not that they lack a right.
 */
const EXOSCALE_STATUS_EXCEPTIONS: StatusExceptions = Object.freeze({ 403: 'AUTH_FAILED' });

function codeFor(status: number, message: string): ErrorCode {
  // Exoscale refuses an exhausted quota with the same 403 as bad credentials; only its message
  // tells the two apart.
  if (status === 403 && QUOTA.test(message)) return 'QUOTA_EXCEEDED';
  return errorCodeForStatus(status, EXOSCALE_STATUS_EXCEPTIONS);
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  AUTH_FAILED:
    ' Check the API key and secret, that the key is neither expired nor revoked, that its role allows the compute service, and that this host clock is right (signatures expire).',
  QUOTA_EXCEEDED: " Free instances or raise the organization's quota in the Exoscale portal.",
  RATE_LIMITED: ' Retry later.',
};

/** The error for an Exoscale error answer to `what` (e.g. "create-instance"). */
export function errorFromResponse(what: string, response: HttpResponse): ConnectorError {
  const message = exoscaleMessage(response.body) ?? 'no message';
  const code = codeFor(response.status, message);
  return new ConnectorError(
    code,
    `Exoscale refused ${what} (HTTP ${response.status}): ${message}.${HINTS[code] ?? ''}`,
    {
      status: response.status,
      // Whether trying again may help is the status's, whatever code the message picked.
      retryable: statusMeaning(response.status).retryable,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    },
  );
}

/** Operation failure reasons (the `operation.reason` enum) in contract codes. */
const REASON_CODES: Readonly<Record<string, ErrorCode>> = Object.freeze({
  incorrect: 'INVALID_REQUEST',
  conflict: 'INVALID_REQUEST',
  forbidden: 'PERMISSION_DENIED',
  'not-found': 'NOT_FOUND',
  busy: 'CLOUD_UNAVAILABLE',
  unavailable: 'CLOUD_UNAVAILABLE',
  unsupported: 'UNSUPPORTED',
});

export interface FailedOperation {
  readonly id: string;
  readonly state: string;
  readonly reason?: string | undefined;
  readonly message?: string | undefined;
}

/** The error for an operation that ended in `failure` or `timeout`. */
export function errorFromOperation(what: string, operation: FailedOperation): ConnectorError {
  const detail = [operation.message, operation.reason && `reason: ${operation.reason}`]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('; ');
  const said = detail === '' ? 'no reason given' : detail;
  if (operation.state === 'timeout') {
    return new ConnectorError('TIMEOUT', `Exoscale operation ${operation.id} (${what}) timed out: ${said}.`);
  }
  const code = (operation.reason && REASON_CODES[operation.reason]) || 'CLOUD_ERROR';
  return new ConnectorError(code, `Exoscale operation ${operation.id} (${what}) failed: ${said}.`);
}

/** An answer that is valid JSON but not what the API documents. */
export function unexpectedAnswer(what: string, detail: string): ConnectorError {
  return new ConnectorError('CLOUD_ERROR', `Exoscale answered ${what} unexpectedly: ${detail}.`);
}
