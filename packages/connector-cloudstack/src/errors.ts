import { ConnectorError, type ErrorCode } from '@slipstream/connector-core';

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
  if (isQuotaFailure(failure)) return 'QUOTA_EXCEEDED';
  switch (failure.errorcode) {
    case 401: // UNAUTHORIZED: bad key, signature, expiry, or a disabled account
    case 411: // UNAUTHORIZED2FA
      return 'AUTH_FAILED';
    case 429: // API_LIMIT_EXCEED
      return 'RATE_LIMITED';
    case 432: // UNSUPPORTED_ACTION_ERROR: the command does not exist or the role may not call it
      return 'UNSUPPORTED';
    case 531: // ACCOUNT_ERROR: PermissionDeniedException
      return 'PERMISSION_DENIED';
    case 533: // INSUFFICIENT_CAPACITY_ERROR: the cloud has no room now
    case 534: // RESOURCE_UNAVAILABLE_ERROR
    case 502:
    case 503:
      return 'CLOUD_UNAVAILABLE';
    case 504:
      return 'TIMEOUT';
    default:
      // 405, 430 MALFORMED_PARAMETER_ERROR, 431 PARAM_ERROR, 536 RESOURCE_IN_USE_ERROR,
      // 537 NETWORK_RULE_CONFLICT_ERROR and other 4xx are the request's fault; 530 and the rest the cloud's.
      return failure.errorcode < 500 || failure.errorcode === 536 || failure.errorcode === 537
        ? 'INVALID_REQUEST'
        : 'CLOUD_ERROR';
  }
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
    { status: context.status, retryAfterMs: context.retryAfterMs },
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
