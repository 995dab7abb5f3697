import type { SimError } from '../model/errors.js';
import { el, ROOT_NAMESPACES, xmlDocument } from './xml.js';

/**
 * How vCD refuses a request. The legacy API (`/api`) answers an `<Error>` document
 * (application/vnd.vmware.vcloud.error+xml) with majorErrorCode (the HTTP status), minorErrorCode
 * and message; the OpenAPI (`/cloudapi`) answers the same three as JSON, with `stackTrace: null`.
 * Messages vCD's services write start with the request id in brackets (`[ 1f2e… ] This operation
 * is denied.`); what its request filters refuse before a service runs (406 for the Accept header,
 * 405 for a removed method) comes without it.
 */

export class VcloudError extends Error {
  readonly status: number;
  readonly minorCode: string;
  /** Whether the message starts with `[ request id ] ` as a service's messages do. */
  readonly withRequestId: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    minorCode: string,
    message: string,
    options: { withRequestId?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'VcloudError';
    this.status = status;
    this.minorCode = minorCode;
    this.withRequestId = options.withRequestId ?? true;
    this.headers = options.headers ?? {};
  }

  messageFor(requestId: string): string {
    return this.withRequestId ? `[ ${requestId} ] ${this.message}` : this.message;
  }
}

/** The minor code vCD pairs with a status when nothing more specific applies (injected faults too). */
export function minorCodeFor(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'ACCESS_TO_RESOURCE_IS_FORBIDDEN';
    case 404:
      return 'RESOURCE_NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 406:
      return 'NOT_ACCEPTABLE';
    case 409:
      return 'CONFLICT';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    case 504:
      return 'GATEWAY_TIMEOUT';
    default:
      return status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  }
}

export function errorXml(error: VcloudError, requestId: string): string {
  return xmlDocument(
    el('Error', {
      ...ROOT_NAMESPACES,
      minorErrorCode: error.minorCode,
      message: error.messageFor(requestId),
      majorErrorCode: error.status,
    }),
  );
}

export function errorJson(error: VcloudError, requestId: string): string {
  return JSON.stringify({
    minorErrorCode: error.minorCode,
    message: error.messageFor(requestId),
    stackTrace: null,
  });
}

// --- the refusals, with vCD's codes and texts ----------------------------------------------------

export const badRequest = (message: string): VcloudError => new VcloudError(400, 'BAD_REQUEST', message);

/** A bearer token missing, unknown, expired or logged out. */
export const notAuthenticated = (): VcloudError =>
  new VcloudError(401, 'NOT_AUTHENTICATED', 'This operation is denied.');

/** A login with a wrong user, organization or password. */
export const loginRefused = (): VcloudError =>
  new VcloudError(401, 'UNAUTHORIZED', 'Invalid credentials.', {
    headers: { 'www-authenticate': 'Basic realm="vCloud", SIGN realm="vCloud", Bearer realm="vCloud"' },
  });

/**
 * An entity id that names nothing (never created, or deleted): vCD answers 403, not 404, as it
 * does for any entity the caller may not see.
 */
export const noSuchEntity = (entityType: string, uuid: string): VcloudError =>
  new VcloudError(
    403,
    'ACCESS_TO_RESOURCE_IS_FORBIDDEN',
    `The VMware Cloud Director entity com.vmware.vcloud.entity.${entityType}:${uuid} does not exist.`,
  );

/** Another user's entity. */
export const noAccess = (entityType: string, uuid: string): VcloudError =>
  new VcloudError(
    403,
    'ACCESS_TO_RESOURCE_IS_FORBIDDEN',
    `No access to entity "(com.vmware.vcloud.entity.${entityType}:${uuid})".`,
  );

/** A URL no resource answers. */
export const resourceNotFound = (): VcloudError =>
  new VcloudError(404, 'RESOURCE_NOT_FOUND', 'The requested resource was not found.');

export const methodNotAllowed = (): VcloudError =>
  new VcloudError(405, 'METHOD_NOT_ALLOWED', 'HTTP method not allowed', { withRequestId: false });

export function notAcceptable(supported: readonly string[]): VcloudError {
  return new VcloudError(
    406,
    'NOT_ACCEPTABLE',
    `The request has invalid accept header: Invalid API version requested. Supported API versions are: [${supported.join(', ')}] ([D] indicates deprecated versions)`,
    { withRequestId: false },
  );
}

export const unsupportedMediaType = (type: string): VcloudError =>
  new VcloudError(415, 'UNSUPPORTED_MEDIA_TYPE', `The content type "${type}" is not supported here.`);

export const duplicateName = (name: string): VcloudError =>
  new VcloudError(400, 'DUPLICATE_NAME', `The VMware Cloud Director entity ${name} already exists.`);

export const busyEntity = (kind: 'vApp' | 'VM', name: string): VcloudError =>
  new VcloudError(400, 'BUSY_ENTITY', `The entity ${kind} "${name}" is busy completing an operation.`);

export const wrongState = (kind: 'vApp' | 'VM', name: string, needed: string): VcloudError =>
  badRequest(`The requested operation could not be executed since ${kind} "${name}" is not ${needed}.`);

export const stopFirst = (name: string): VcloudError =>
  badRequest(`The requested operation could not be executed on vApp "${name}". Stop the vApp and try again.`);

export const quotaExceeded = (user: string, limit: number): VcloudError =>
  badRequest(
    `The operation failed because it would exceed the stored VM quota of user "${user}" (${limit} VMs).`,
  );

/** The model's refusals that reach a front-end call unchecked, in vCD's terms. */
export function fromSimError(error: SimError, user: string, limit: number): VcloudError {
  return error.kind === 'quota' ? quotaExceeded(user, limit) : badRequest(error.message);
}
