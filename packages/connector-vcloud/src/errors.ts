import {
  ConnectorError,
  type ErrorCode,
  errorCodeForStatus,
  type HttpResponse,
  parseRetryAfter,
  redactValues,
  statusMeaning,
} from '@slipstream/connector-core';
import { rootOf, text } from './wire.js';

/**
 * vCloud Director's failures as ConnectorErrors. The /api calls answer an `<Error>` element
 * (majorErrorCode, minorErrorCode, message); cloudapi answers JSON with `minorErrorCode` and
 * `message`. Statuses mean what core's table says, except that every 5xx is CLOUD_UNAVAILABLE: a
 * cell that fails is one to come back to. Quota and limit texts are QUOTA_EXCEEDED, whatever the
 * status (vCD refuses an exhausted quota with 400) but 429, which stays RATE_LIMITED.
 */

const QUOTA = /quota|limit (?:of|exceeded|reached)|exceed(?:s|ed)? .*limit/i;

const QUOTED_CHARS = 300;

export interface VcloudFault {
  readonly minorErrorCode: string | undefined;
  readonly message: string | undefined;
}

/** The fault of an error body: vCloud's `<Error>` or cloudapi's JSON. */
export function readFault(body: string): VcloudFault {
  const error = rootOf(body, 'Error');
  if (error !== undefined)
    return { minorErrorCode: text(error, 'minorErrorCode'), message: text(error, 'message') };
  try {
    const json = JSON.parse(body) as Record<string, unknown> | null;
    if (json && typeof json === 'object') {
      return {
        minorErrorCode: typeof json.minorErrorCode === 'string' ? json.minorErrorCode : undefined,
        message: typeof json.message === 'string' ? json.message : undefined,
      };
    }
  } catch {
    // Neither: a proxy's page, say.
  }
  return { minorErrorCode: undefined, message: undefined };
}

export function codeFor(status: number, message: string): ErrorCode {
  // A throttled call is RATE_LIMITED even when its text speaks of a (rate) limit.
  if (status !== 429 && QUOTA.test(message)) return 'QUOTA_EXCEEDED';
  return status >= 500 && status < 600 ? 'CLOUD_UNAVAILABLE' : errorCodeForStatus(status);
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  AUTH_FAILED: ' Check the user name, the password and the instance\'s "org".',
  PERMISSION_DENIED: ' Ask the organization administrator for the right.',
  QUOTA_EXCEEDED: ' Remove vApps or ask for a larger quota.',
};

/** The error of an error answer to `what`, quoting vCloud; `secrets` are scrubbed from the quote. */
export function errorFromResponse(
  what: string,
  response: HttpResponse,
  secrets: readonly string[],
): ConnectorError {
  const fault = readFault(response.body);
  const said =
    fault.message ??
    ((response.headers['content-type'] ?? '').includes('html')
      ? 'an HTML page (not vCloud Director)'
      : response.body.trim());
  const quoted = redactValues(said, secrets);
  const short = quoted.length > QUOTED_CHARS ? `${quoted.slice(0, QUOTED_CHARS)}…` : quoted;
  const code = codeFor(response.status, said);
  const minor = fault.minorErrorCode === undefined ? '' : ` ${fault.minorErrorCode}`;
  return new ConnectorError(
    code,
    `vCloud Director refused ${what} (HTTP ${response.status}${minor})${short ? `: ${short.replace(/\.$/, '')}` : ''}.${HINTS[code] ?? ''}`,
    {
      status: response.status,
      retryable: statusMeaning(response.status).retryable,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    },
  );
}

/** The error of a task that ended in `error` (or was aborted), with its message. */
export function errorFromTask(what: string, status: string, message: string | undefined): ConnectorError {
  const said = message ?? 'no message';
  return new ConnectorError(
    QUOTA.test(said) ? 'QUOTA_EXCEEDED' : 'CLOUD_ERROR',
    `vCloud Director's ${what} task ended ${status === 'error' ? 'in error' : status}: ${said.replace(/\.$/, '')}.`,
  );
}
