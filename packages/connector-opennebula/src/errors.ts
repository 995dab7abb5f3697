import {
  ConnectorError,
  type ErrorCode,
  errorCodeForStatus,
  type HttpResponse,
  parseRetryAfter,
  redactValues,
  statusMeaning,
} from '@slipstream/connector-core';
import { XmlRpcFault, XmlRpcFormatError } from './xmlrpc.js';

/**
 * OpenNebula's failures as ConnectorErrors. oned answers every call with HTTP 200; a failure is
 * the array `[false, "[method] message", code, …]` whose code is one of Request.h's ErrorCode
 * bits. HTTP error statuses come from what stands in front of oned (a proxy, a NuvlaBox's
 * one-proxy) and mean what core's status table says. Messages quote oned, never the session.
 */

/** oned's error codes (include/Request.h). */
export const ONE_ERROR_CODES = Object.freeze({
  SUCCESS: 0x0000,
  AUTHENTICATION: 0x0100,
  AUTHORIZATION: 0x0200,
  NO_EXISTS: 0x0400,
  ACTION: 0x0800,
  XML_RPC_API: 0x1000,
  INTERNAL: 0x2000,
  ALLOCATE: 0x4000,
  LOCKED: 0x8000,
});

const CODE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(ONE_ERROR_CODES).map(([name, code]) => [code, name]),
);

// oned refuses an exhausted quota as AUTHORIZATION (template.instantiate, resume) with the
// quota's text, and a host or datastore without room as ALLOCATE.
const QUOTA_OR_CAPACITY = /quota|capacity|limit of \d+ reached/i;

/** The contract code of an oned error code and message. */
export function codeForOneError(code: number, message: string): ErrorCode {
  switch (code) {
    case ONE_ERROR_CODES.AUTHENTICATION:
      return 'AUTH_FAILED';
    case ONE_ERROR_CODES.AUTHORIZATION:
      return QUOTA_OR_CAPACITY.test(message) ? 'QUOTA_EXCEEDED' : 'PERMISSION_DENIED';
    case ONE_ERROR_CODES.NO_EXISTS:
      return 'NOT_FOUND';
    case ONE_ERROR_CODES.ACTION:
    case ONE_ERROR_CODES.XML_RPC_API:
    case ONE_ERROR_CODES.LOCKED:
      return 'INVALID_REQUEST';
    case ONE_ERROR_CODES.ALLOCATE:
      return QUOTA_OR_CAPACITY.test(message) ? 'QUOTA_EXCEEDED' : 'CLOUD_ERROR';
    default:
      return 'CLOUD_ERROR';
  }
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  AUTH_FAILED: ' Check the user name and password (or login token), and that the user is enabled.',
  PERMISSION_DENIED: ' Ask the OpenNebula administrator for the right (ACLs, or the object’s permissions).',
  QUOTA_EXCEEDED: ' Terminate VMs or ask the administrator to raise the quota.',
};

const QUOTED_CHARS = 300;

function quote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > QUOTED_CHARS ? `${trimmed.slice(0, QUOTED_CHARS)}…` : trimmed;
}

/** The error of a failure answer `[false, message, code, …]` to `method`. */
export function errorFromFailure(method: string, message: string, code: number): ConnectorError {
  const contract = codeForOneError(code, message);
  const name = CODE_NAMES.get(code) ?? `0x${code.toString(16)}`;
  const locked =
    code === ONE_ERROR_CODES.LOCKED
      ? ' The VM is locked: unlock it (onevm unlock) or wait for whoever locked it.'
      : '';
  return new ConnectorError(
    contract,
    `OpenNebula refused ${method} (${name}): ${quote(message)}${locked}${HINTS[contract] ?? ''}`,
  );
}

/**
 * The error of an HTTP error status from oned or what stands in front of it. A proxy may echo the
 * request, session string and all: `secrets` are scrubbed from what is quoted.
 */
export function errorFromResponse(
  method: string,
  response: HttpResponse,
  secrets: readonly string[] = [],
): ConnectorError {
  const code = errorCodeForStatus(response.status);
  return new ConnectorError(
    code,
    `The OpenNebula endpoint answered ${method} with HTTP ${response.status}${describeBody(response, secrets)}.`,
    {
      status: response.status,
      retryable: statusMeaning(response.status).retryable,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    },
  );
}

function describeBody(response: HttpResponse, secrets: readonly string[]): string {
  const type = response.headers['content-type'] ?? '';
  if (response.body.trim() === '') return '';
  if (type.includes('html')) return ' and an HTML page (a proxy or web server, not oned)';
  return `: ${quote(redactValues(response.body, secrets))}`;
}

/** The error of a 200 answer that is not what XML-RPC or OpenNebula documents. */
export function malformedAnswer(method: string, reason: unknown, response?: HttpResponse): ConnectorError {
  const type = response?.headers['content-type'] ?? '';
  if (reason instanceof XmlRpcFault) {
    return new ConnectorError(
      'CLOUD_ERROR',
      `The OpenNebula endpoint answered ${method} with an XML-RPC fault ${reason.faultCode ?? '(no code)'}: ${quote(reason.faultString)}.`,
    );
  }
  const detail =
    reason instanceof XmlRpcFormatError || reason instanceof Error ? reason.message : String(reason);
  const start = (response?.body ?? '').trimStart().slice(0, 14).toLowerCase();
  const html = type.includes('html') || start.startsWith('<html') || start.startsWith('<!doctype html');
  return new ConnectorError(
    'CLOUD_ERROR',
    html
      ? `The OpenNebula endpoint answered ${method} with an HTML page, not XML-RPC: check that parameter "endpoint" is oned's XML-RPC URL (…/RPC2) and not a web page or a login portal.`
      : `The OpenNebula endpoint answered ${method} with something that is not an XML-RPC answer: ${detail}.`,
  );
}
