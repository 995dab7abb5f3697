import { ConnectorError, type HttpResponse, parseRetryAfter, redactValues } from '@slipstream/connector-core';
import { errorCodeFor, errorFromResponse } from '@slipstream/connector-openstack/extend';

/**
 * OTC's own error answers: the API gateway in front of the services, and IAM's APIs beyond
 * Keystone's, answer `{"error_msg": "...", "error_code": "APIGW.0301", "request_id": "..."}`
 * (IAM.xxxx codes for IAM). Anything else is an OpenStack service's body, read as the OpenStack
 * connector reads it.
 */

export interface OtcFault {
  readonly code: string;
  readonly message: string;
}

/** The `error_code` / `error_msg` pair of an OTC error body, when it is one. */
export function readOtcFault(body: string): OtcFault | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { error_code: code, error_msg: message } = parsed as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return { code, message: message.replace(/\s+/g, ' ').trim().slice(0, 300) };
}

const ACCESS_KEY_HINT =
  ' Check the access key ID and secret key (IAM locks a key for five minutes after five failed attempts) and that this host keeps time: OTC refuses requests dated more than 15 minutes away.';

/** An error answer of IAM or the gateway as a ConnectorError, secrets scrubbed from what is quoted. */
export function otcErrorFromResponse(
  service: string,
  operation: string,
  response: Pick<HttpResponse, 'status' | 'body' | 'headers'>,
  secrets: readonly string[],
): ConnectorError {
  const fault = readOtcFault(response.body);
  if (fault === undefined) return errorFromResponse(service, operation, response, secrets);
  const code = errorCodeFor(response.status, {
    kind: fault.code,
    message: fault.message,
    retryAfterSeconds: undefined,
  });
  const sentence = `${service} ${operation} answered ${response.status} ${fault.code}: ${fault.message}`;
  const hint = code === 'AUTH_FAILED' ? ACCESS_KEY_HINT : '';
  const message = `${sentence}${/[.!?]$/.test(sentence) ? '' : '.'}${hint}`;
  return new ConnectorError(code, redactValues(message, secrets), {
    status: response.status,
    retryAfterMs: code === 'RATE_LIMITED' ? parseRetryAfter(response.headers['retry-after']) : undefined,
  });
}
