import type { SimResponse } from '../../server/frontend.js';
import { jsonResponse } from '../http.js';

/**
 * Nova's faults: `{"<name>": {"code": <status>, "message": "..."}}`, the name chosen by status as
 * nova.api.openstack.wsgi.Fault does (computeFault for any status it does not name).
 */

const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export class NovaError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'NovaError';
    this.status = status;
  }
}

export const badRequest = (message: string): NovaError => new NovaError(400, message);
export const forbidden = (message: string): NovaError => new NovaError(403, message);
export const notFound = (message: string): NovaError => new NovaError(404, message);
export const conflict = (message: string): NovaError => new NovaError(409, message);

export function faultResponse(
  status: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): SimResponse {
  const name = FAULT_NAMES[status] ?? 'computeFault';
  const fault: Record<string, unknown> = { code: status, message };
  // Nova repeats Retry-After in the body of its over-limit answers.
  const retryAfter = headers['retry-after'];
  if ((status === 413 || status === 429) && retryAfter !== undefined) fault.retryAfter = retryAfter;
  return jsonResponse(status, { [name]: fault }, headers);
}
