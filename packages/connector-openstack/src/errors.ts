import {
  ConnectorError,
  type ErrorCode,
  errorCodeForStatus,
  type HttpResponse,
  parseRetryAfter,
  redactValues,
  type StatusExceptions,
} from '@slipstream/connector-core';

/**
 * OpenStack's error answers as ConnectorErrors. Each service has its own body:
 * - Nova: `{"<fault name>": {"code": 404, "message": "..."}}`, fault names badRequest,
 *   unauthorized, forbidden, itemNotFound, conflictingRequest, overLimit (413 and 429),
 *   computeFault...;
 * - Keystone and keystonemiddleware (401 on every service): `{"error": {"code", "title", "message"}}`;
 * - Neutron: `{"NeutronError": {"type": "OverQuota", "message": "...", "detail": ""}}`;
 * - Glance (webob): `{"message": "...", "code": "404 Not Found", "title": "Not Found"}`, or HTML;
 * - API gateways in front of the services (Huawei Cloud, OTC): `{"error_code", "error_msg"}`.
 * Messages name the service and operation and quote the cloud, never a credential.
 */

/** An error answer, read: what it says and under which name. */
export interface OpenStackFault {
  /** The fault name (Nova), error type (Neutron) or title (Keystone, Glance), when there is one. */
  readonly kind: string | undefined;
  readonly message: string | undefined;
  /** Seconds Nova's overLimit body asks to wait. */
  readonly retryAfterSeconds: number | undefined;
}

const QUOTED_CHARS = 300;

function shorten(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > QUOTED_CHARS ? `${single.slice(0, QUOTED_CHARS)}…` : single;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? shorten(value) : undefined;
}

/** Reads any of the services' error bodies; never throws. */
export function readFault(body: string): OpenStackFault {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Glance and proxies answer HTML or plain text: keep the words, drop the markup.
    const words = body
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .trim();
    return {
      kind: undefined,
      message: words === '' ? undefined : shorten(words),
      retryAfterSeconds: undefined,
    };
  }
  if (!isRecord(parsed)) return { kind: undefined, message: undefined, retryAfterSeconds: undefined };
  if (isRecord(parsed.error)) {
    return {
      kind: text(parsed.error.title),
      message: text(parsed.error.message),
      retryAfterSeconds: undefined,
    };
  }
  if (isRecord(parsed.NeutronError)) {
    return {
      kind: text(parsed.NeutronError.type),
      message: text(parsed.NeutronError.message),
      retryAfterSeconds: undefined,
    };
  }
  if (typeof parsed.error_msg === 'string') {
    // API gateways in front of OpenStack services (Huawei Cloud, Open Telekom Cloud).
    return { kind: text(parsed.error_code), message: text(parsed.error_msg), retryAfterSeconds: undefined };
  }
  if (typeof parsed.message === 'string') {
    return { kind: text(parsed.title), message: text(parsed.message), retryAfterSeconds: undefined };
  }
  const keys = Object.keys(parsed);
  const [name] = keys;
  const fault = name === undefined ? undefined : parsed[name];
  if (keys.length === 1 && name !== undefined && isRecord(fault)) {
    const retryAfter = Number(fault.retryAfter);
    return {
      kind: name,
      message: text(fault.message),
      retryAfterSeconds: Number.isFinite(retryAfter) && fault.retryAfter !== '' ? retryAfter : undefined,
    };
  }
  return { kind: undefined, message: undefined, retryAfterSeconds: undefined };
}

// Nova's QuotaError family answers 403 with "Quota exceeded for ..." or, for metadata items, ports
// and the like, "Maximum number of ... exceeds 128" / "... exceeded" (nova/exception.py).
const QUOTA_TEXT = /quota|limit exceeded|exceeds? .*limit|maximum number of .* exceed/i;

/**
 * Where OpenStack's services document a status otherwise than core's table: 406 is Nova refusing a
 * microversion it does not support (and Glance a media type), 413 is Nova's `overLimit` for
 * metadata items, injected files and the like.
 */
const OPENSTACK_STATUS_EXCEPTIONS: StatusExceptions = Object.freeze({
  406: 'UNSUPPORTED',
  413: 'QUOTA_EXCEEDED',
});

/**
 * The ConnectorError code of an error answer: a quota refusal by its text first, since Nova
 * refuses a launch over quota with 403 Forbidden ("Quota exceeded for instances...") and Neutron an
 * exhausted quota with 409 OverQuota; then core's status table with OpenStack's exceptions.
 */
export function errorCodeFor(status: number, fault: OpenStackFault): ErrorCode {
  const quota = QUOTA_TEXT.test(fault.message ?? '') || fault.kind === 'OverQuota';
  if (quota && (status === 403 || status === 409)) return 'QUOTA_EXCEEDED';
  return errorCodeForStatus(status, OPENSTACK_STATUS_EXCEPTIONS);
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  AUTH_FAILED:
    ' Check the user name, password, domain and project (the user needs a role on the project), and that the account is enabled.',
  PERMISSION_DENIED: " The user's roles on the project do not allow this; ask the cloud's administrator.",
  QUOTA_EXCEEDED: " Free resources or ask the cloud's administrator to raise the project's quota.",
  RATE_LIMITED: ' Retry later.',
  UNSUPPORTED: ' The cloud is older than the connector needs (Nova 2.47, i.e. OpenStack Pike or later).',
};

/**
 * An error answer as a ConnectorError: `Nova create-server answered 403 forbidden: Quota exceeded
 * for instances...` plus a hint. `secrets` are scrubbed from the quoted text: a service may echo
 * a token or a password back.
 */
export function errorFromResponse(
  service: string,
  operation: string,
  response: Pick<HttpResponse, 'status' | 'body' | 'headers'>,
  secrets: readonly string[],
): ConnectorError {
  const fault = readFault(response.body);
  const code = errorCodeFor(response.status, fault);
  const said = [fault.kind, fault.message].filter((part) => part !== undefined).join(': ');
  const sentence = `${service} ${operation} answered ${response.status}${said === '' ? '' : ` ${said}`}`;
  // The microversion hint is Nova's: Glance's 406 is about a media type.
  const hint = code === 'UNSUPPORTED' && service !== 'Nova' ? '' : (HINTS[code] ?? '');
  const message = `${sentence}${/[.!?]$/.test(sentence) ? '' : '.'}${hint}`;
  const retryAfterMs =
    parseRetryAfter(response.headers['retry-after']) ??
    (fault.retryAfterSeconds === undefined ? undefined : fault.retryAfterSeconds * 1000);
  return new ConnectorError(code, redactValues(message, secrets), {
    status: response.status,
    retryAfterMs: code === 'RATE_LIMITED' ? retryAfterMs : undefined,
  });
}

/** An answer that is not what the API reference says it should be. */
export function unexpectedAnswer(service: string, operation: string, what: string): ConnectorError {
  return new ConnectorError('CLOUD_ERROR', `${service} ${operation} answered unexpectedly: ${what}.`);
}
