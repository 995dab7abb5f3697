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
 * CloudStack's error answers as ConnectorErrors. CloudStack reports an error as
 * `{"<command>response": {"errorcode": 431, "cserrorcode": 4350, "errortext": "..."}}` with the
 * HTTP status equal to `errorcode` (ApiErrorCode), and a failed asynchronous job carries the same
 * pair in its `jobresult`. Messages name the command and quote `errortext`, which CloudStack
 * writes for users and which never contains the caller's secret key.
 */

export interface CloudStackFailure {
  readonly errorcode: number;
  readonly cserrorcode?: number | undefined;
  readonly errortext: string;
}

/**
 * CloudStack's own ApiErrorCode values: the management server sends them as HTTP statuses, but
 * apart from 401, 405 and 429 (which mean what HTTP says) they are CloudStack's numbers, not
 * HTTP's (431 is PARAM_ERROR, not "Request Header Fields Too Large"). Any other errorcode means
 * what core's status table says.
 */
export const CLOUDSTACK_ERROR_CODES: StatusExceptions = Object.freeze({
  411: 'AUTH_FAILED', // UNAUTHORIZED2FA: the account needs its second factor first
  430: 'INVALID_REQUEST', // MALFORMED_PARAMETER_ERROR
  431: 'INVALID_REQUEST', // PARAM_ERROR
  432: 'UNSUPPORTED', // UNSUPPORTED_ACTION_ERROR: the command does not exist or the role may not call it
  530: 'CLOUD_ERROR', // INTERNAL_ERROR
  531: 'PERMISSION_DENIED', // ACCOUNT_ERROR: PermissionDeniedException
  532: 'QUOTA_EXCEEDED', // ACCOUNT_RESOURCE_LIMIT_ERROR
  533: 'CLOUD_UNAVAILABLE', // INSUFFICIENT_CAPACITY_ERROR: the cloud has no room now
  534: 'CLOUD_UNAVAILABLE', // RESOURCE_UNAVAILABLE_ERROR
  535: 'CLOUD_ERROR', // RESOURCE_ALLOCATION_ERROR (unless its text says a resource limit)
  536: 'INVALID_REQUEST', // RESOURCE_IN_USE_ERROR
  537: 'INVALID_REQUEST', // NETWORK_RULE_CONFLICT_ERROR
});

/**
 * HTTP statuses of answers that are not CloudStack's envelope, where they mean something else
 * than core's table says: a 404 comes from a web server or proxy in front of a wrong URL, not from
 * CloudStack (which never answers 404), so it says the endpoint is wrong, not that a VM is gone.
 */
const NOT_CLOUDSTACK_STATUSES: StatusExceptions = Object.freeze({ 404: 'CLOUD_ERROR' });

/** CSExceptionErrorCode values that mean a resource limit: AccountLimitException, ResourceAllocationException. */
const LIMIT_EXCEPTIONS: ReadonlySet<number> = new Set([4280, 4370]);

/**
 * The texts of CloudStack's resource limit errors: ResourceLimitManagerImpl's "Maximum amount of
 * resources of Type = 'user_vm' ... is exceeded" (4.16+) and the older "Maximum number of
 * resources of type 'user_vm' ... has been exceeded".
 */
const LIMIT_TEXT = /maximum (number|amount) of resources of type|resource limit (exceeded|reached)/i;

export function isQuotaFailure(failure: CloudStackFailure): boolean {
  return (
    failure.errorcode === 532 ||
    (failure.cserrorcode !== undefined && LIMIT_EXCEPTIONS.has(failure.cserrorcode)) ||
    LIMIT_TEXT.test(failure.errortext)
  );
}

/** The ConnectorError code for an ApiErrorCode (and, for limits, the exception and text behind it). */
export function errorCodeFor(failure: CloudStackFailure): ErrorCode {
  // Checked first: CloudStack reports some limits as 535 or 530 with the limit in the text.
  if (isQuotaFailure(failure)) return 'QUOTA_EXCEEDED';
  return errorCodeForStatus(failure.errorcode, CLOUDSTACK_ERROR_CODES);
}

/**
 * Whether trying again may help: for an errorcode that is an HTTP status, what core's table says
 * of it; for CloudStack's own numbers, what the code says (capacity comes back, a bad parameter
 * does not).
 */
function retryableFor(errorcode: number): boolean | undefined {
  return CLOUDSTACK_ERROR_CODES[errorcode] === undefined ? statusMeaning(errorcode).retryable : undefined;
}

export interface FailureContext {
  /** The API command, e.g. `deployVirtualMachine`. */
  readonly command: string;
  /** The job that failed, for failures of asynchronous jobs. */
  readonly jobId?: string | undefined;
  /** HTTP status of the answer, when there was one. */
  readonly status?: number | undefined;
  readonly retryAfterMs?: number | undefined;
}

export function failureError(failure: CloudStackFailure, context: FailureContext): ConnectorError {
  const code = errorCodeFor(failure);
  const where = context.jobId
    ? `CloudStack job ${context.jobId} (${context.command})`
    : `CloudStack ${context.command}`;
  const detail = failure.cserrorcode === undefined ? '' : `, cserrorcode ${failure.cserrorcode}`;
  const hint =
    code === 'AUTH_FAILED'
      ? " Check the API key and secret key, that the account is enabled, and that this host's clock is right (signed requests expire)."
      : '';
  return new ConnectorError(
    code,
    `${where} failed with error ${failure.errorcode}${detail}: ${failure.errortext || '(no error text)'}${hint}`,
    {
      status: context.status,
      retryable: retryableFor(failure.errorcode),
      retryAfterMs: context.retryAfterMs,
    },
  );
}

/** CloudStack's error envelope as a ConnectorError; a status-based one when the body is not CloudStack's. */
export function errorFromResponse(command: string, response: HttpResponse): ConnectorError {
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  const failure = failureIn(body);
  if (failure) return failureError(failure, { command, status: response.status, retryAfterMs });
  const { status } = response;
  const hint =
    status === 404
      ? ': is the endpoint the CloudStack API URL (…/client/api)?'
      : ' without a CloudStack error body.';
  return new ConnectorError(
    errorCodeForStatus(status, NOT_CLOUDSTACK_STATUSES),
    `CloudStack ${command} answered HTTP ${status}${hint}`,
    { status, retryAfterMs },
  );
}

/**
 * The error object of a CloudStack envelope (`{"xresponse": {errorcode, errortext, ...}}`), or of
 * a failed job's `jobresult`; undefined when the value is neither.
 */
export function failureIn(value: unknown): CloudStackFailure | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const direct = asFailure(record);
  if (direct) return direct;
  const keys = Object.keys(record);
  return keys.length === 1 ? asFailure(record[keys[0] as string]) : undefined;
}

function asFailure(value: unknown): CloudStackFailure | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const errorcode = Number(record.errorcode);
  if (!Number.isInteger(errorcode) || errorcode <= 0) return undefined;
  const cserrorcode = Number(record.cserrorcode);
  return {
    errorcode,
    cserrorcode: Number.isInteger(cserrorcode) && record.cserrorcode !== undefined ? cserrorcode : undefined,
    errortext: typeof record.errortext === 'string' ? record.errortext : '',
  };
}
