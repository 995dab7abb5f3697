import {
  ConnectorError,
  type ErrorCode,
  errorCodeForStatus,
  type HttpResponse,
  parseRetryAfter,
  redactValues,
} from '@slipstream/connector-core';

/**
 * EC2's error answers as ConnectorErrors. EC2 reports an error as
 * `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors><RequestID>…</RequestID></Response>`
 * (the API reference's "Error codes" page); its code says more than the status, so the code
 * decides, and only a code we do not know falls back to core's status table. The request id stays
 * in the message: it is what AWS support asks for. Keys, secrets and signatures never appear:
 * `secrets` are scrubbed from whatever EC2 quotes.
 */

/** EC2 error codes and what they mean here (API reference, "Error codes for the Amazon EC2 API"). */
export const AWS_ERROR_CODES: Readonly<Record<string, ErrorCode>> = Object.freeze({
  AuthFailure: 'AUTH_FAILED',
  InvalidClientTokenId: 'AUTH_FAILED',
  SignatureDoesNotMatch: 'AUTH_FAILED',
  // "The request reached the service more than 15 minutes after the date stamp": a clock that is off.
  RequestExpired: 'AUTH_FAILED',
  UnauthorizedOperation: 'PERMISSION_DENIED',
  OptInRequired: 'PERMISSION_DENIED',
  Blocked: 'PERMISSION_DENIED',
  RequestLimitExceeded: 'RATE_LIMITED',
  Throttling: 'RATE_LIMITED',
  InstanceLimitExceeded: 'QUOTA_EXCEEDED',
  VcpuLimitExceeded: 'QUOTA_EXCEEDED',
  InsufficientInstanceCapacity: 'QUOTA_EXCEEDED',
  'InvalidInstanceID.NotFound': 'NOT_FOUND',
  'InvalidInstanceID.Malformed': 'INVALID_REQUEST',
  IdempotentParameterMismatch: 'INVALID_REQUEST',
  'InvalidAMIID.NotFound': 'INVALID_REQUEST',
  'InvalidAMIID.Malformed': 'INVALID_REQUEST',
  'InvalidKeyPair.NotFound': 'INVALID_REQUEST',
  'InvalidKeyPair.Duplicate': 'INVALID_REQUEST',
  'InvalidGroup.NotFound': 'INVALID_REQUEST',
  'InvalidSubnetID.NotFound': 'INVALID_REQUEST',
  InvalidParameterValue: 'INVALID_REQUEST',
  InvalidParameterCombination: 'INVALID_REQUEST',
  MissingParameter: 'INVALID_REQUEST',
  UnsupportedOperation: 'UNSUPPORTED',
  // EC2 documents both as transient ("retry your request"), unlike a generic 500.
  InternalError: 'CLOUD_UNAVAILABLE',
  Unavailable: 'CLOUD_UNAVAILABLE',
  ServiceUnavailable: 'CLOUD_UNAVAILABLE',
});

const HINTS: Partial<Record<string, string>> = {
  AuthFailure:
    ' Check the access key id and secret access key (and the session token of temporary credentials).',
  InvalidClientTokenId: ' The access key id is not known to AWS; check it, and that it is active in IAM.',
  SignatureDoesNotMatch: ' Check the secret access key.',
  RequestExpired: " Check this host's clock: AWS refuses requests signed more than a few minutes off.",
  UnauthorizedOperation: " The IAM user's policies do not allow this call; ask the account's administrator.",
  RequestLimitExceeded: ' AWS throttled the account; retry later.',
  InstanceLimitExceeded: ' Terminate instances or ask AWS for a higher limit (Service Quotas).',
  VcpuLimitExceeded: ' Terminate instances or ask AWS for a higher vCPU limit (Service Quotas).',
  InsufficientInstanceCapacity:
    ' AWS has no capacity for this instance type here now; try another zone or type, or later.',
  IdempotentParameterMismatch:
    ' The idempotency key was already used for a different launch; use a new key for a new launch.',
};

/** What an EC2 error body says. */
export interface AwsFault {
  readonly code: string | undefined;
  readonly message: string | undefined;
  readonly requestId: string | undefined;
}

const QUOTED_CHARS = 300;

/** Reads an EC2 error body; a body that is not one gives a fault without code. */
export type FaultReader = (body: string) => AwsFault;

let faultReader: Promise<FaultReader> | undefined;

/**
 * The error body reader, on fast-xml-parser. Imported by the first session, with the SDK: the
 * parser alone takes longer to import than core, and loading the definition must stay cheap.
 */
export function loadFaultReader(): Promise<FaultReader> {
  faultReader ??= import('fast-xml-parser').then(({ XMLParser }) => {
    const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });
    return (body) => {
      let parsed: unknown;
      try {
        parsed = parser.parse(body);
      } catch {
        parsed = undefined;
      }
      return faultOf(parsed);
    };
  });
  return faultReader;
}

function faultOf(parsed: unknown): AwsFault {
  const response = (parsed as { Response?: Record<string, unknown> } | undefined)?.Response;
  const errors = (response?.Errors as { Error?: unknown } | undefined)?.Error;
  const first = (Array.isArray(errors) ? errors[0] : errors) as Record<string, unknown> | undefined;
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const message = text(first?.Message);
  return {
    code: text(first?.Code),
    message: message && message.length > QUOTED_CHARS ? `${message.slice(0, QUOTED_CHARS)}…` : message,
    requestId: text(response?.RequestID) ?? text(response?.RequestId),
  };
}

/**
 * The ConnectorError code of an EC2 error: its error code when known, else core's status table
 * with EC2's documented exception: a server error (5xx) is transient — EC2's error list says to
 * retry InternalError, Unavailable and other server errors — so every 5xx is CLOUD_UNAVAILABLE.
 */
export function errorCodeFor(status: number, code: string | undefined): ErrorCode {
  const known = code !== undefined ? AWS_ERROR_CODES[code] : undefined;
  if (known !== undefined) return known;
  return status >= 500 && status <= 599 ? 'CLOUD_UNAVAILABLE' : errorCodeForStatus(status);
}

/**
 * An EC2 error answer as a ConnectorError: `EC2 RunInstances answered 400 InstanceLimitExceeded:
 * Your quota allows… (request id …)` plus what to do about it.
 */
export function errorFromResponse(
  action: string,
  response: Pick<HttpResponse, 'status' | 'headers' | 'body'>,
  readFault: FaultReader,
  secrets: readonly string[] = [],
): ConnectorError {
  const fault = readFault(redactValues(response.body, secrets));
  const code = errorCodeFor(response.status, fault.code);
  const what = [fault.code, fault.message].filter((part) => part !== undefined).join(': ');
  const request = fault.requestId === undefined ? '' : ` (request id ${fault.requestId})`;
  const hint = (fault.code !== undefined ? HINTS[fault.code] : undefined) ?? '';
  return new ConnectorError(
    code,
    `EC2 ${action} answered ${response.status}${what ? ` ${what}` : ''}${request}.${hint}`,
    { status: response.status, retryAfterMs: parseRetryAfter(response.headers['retry-after']) },
  );
}

/**
 * The ids an `InvalidInstanceID.NotFound` message names: "The instance ID 'i-1' does not exist",
 * "The instance IDs 'i-1, i-2' do not exist".
 */
export function missingInstanceIds(message: string): string[] {
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  return quoted
    .split(',')
    .map((id) => id.trim())
    .filter((id) => /^i-[0-9a-f]+$/.test(id));
}
