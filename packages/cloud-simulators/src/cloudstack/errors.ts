/**
 * CloudStack's error vocabulary. `errorcode` (also the HTTP status) comes from the ApiErrorCode
 * enum; `cserrorcode` from CSExceptionErrorCode, naming the Java exception behind the error
 * (9999 when the API layer raised a bare ServerApiException).
 */

/** org.apache.cloudstack.api.ApiErrorCode, 4.18–4.20. */
export const API_ERROR = Object.freeze({
  UNAUTHORIZED: 401,
  METHOD_NOT_ALLOWED: 405,
  UNAUTHORIZED2FA: 411,
  API_LIMIT_EXCEED: 429,
  MALFORMED_PARAMETER_ERROR: 430,
  PARAM_ERROR: 431,
  UNSUPPORTED_ACTION_ERROR: 432,
  INTERNAL_ERROR: 530,
  ACCOUNT_ERROR: 531,
  ACCOUNT_RESOURCE_LIMIT_ERROR: 532,
  INSUFFICIENT_CAPACITY_ERROR: 533,
  RESOURCE_UNAVAILABLE_ERROR: 534,
  RESOURCE_ALLOCATION_ERROR: 535,
  RESOURCE_IN_USE_ERROR: 536,
  NETWORK_RULE_CONFLICT_ERROR: 537,
});

/** com.cloud.utils.exception.CSExceptionErrorCode, the entries the simulator raises. */
export const CS_ERROR = Object.freeze({
  CloudRuntimeException: 4250,
  InvalidParameterValueException: 4350,
  PermissionDeniedException: 4365,
  ResourceAllocationException: 4370,
  ServerApiException: 9999,
});

/** The text CloudStack answers with HTTP 401 when a request fails `verifyRequest`. */
export const UNVERIFIED_TEXT = 'unable to verify user credentials and/or request signature';

/**
 * An error a command answers, as CloudStack serializes it: `errorCode` is both the envelope's
 * `errorcode` and the HTTP status; `csErrorCode` is omitted from the envelope when undefined, as
 * CloudStack does for the 401 of a failed signature check.
 */
export class CloudStackApiError extends Error {
  readonly errorCode: number;
  readonly csErrorCode: number | undefined;

  constructor(errorCode: number, message: string, csErrorCode?: number) {
    super(message);
    this.name = 'CloudStackApiError';
    this.errorCode = errorCode;
    this.csErrorCode = csErrorCode;
  }
}

/** A PARAM_ERROR raised by the API layer itself (missing parameter, bad paging): cserrorcode 9999. */
export function paramError(message: string): CloudStackApiError {
  return new CloudStackApiError(API_ERROR.PARAM_ERROR, message, CS_ERROR.ServerApiException);
}

/** An InvalidParameterValueException from the service layer: 431 with cserrorcode 4350. */
export function invalidValue(message: string): CloudStackApiError {
  return new CloudStackApiError(API_ERROR.PARAM_ERROR, message, CS_ERROR.InvalidParameterValueException);
}

/**
 * The 431 CloudStack answers when an id parameter names nothing: ParamProcessWorker cannot turn the
 * UUID into a database id, whatever the reason (unknown, malformed, another kind of object).
 */
export function unknownId(command: string, parameter: string, value: string): CloudStackApiError {
  return paramError(
    `Unable to execute API command ${command.toLowerCase()} due to invalid value. Invalid parameter ${parameter} value=${value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
  );
}

/** The 431 of a parameter whose value cannot be converted to the parameter's type. */
export function badValue(command: string, parameter: string, value: string): CloudStackApiError {
  return paramError(
    `Unable to execute API command ${command.toLowerCase()} due to invalid value ${value} for parameter ${parameter}`,
  );
}
