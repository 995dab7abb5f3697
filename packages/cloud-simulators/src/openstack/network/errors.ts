import type { SimResponse } from '../../server/frontend.js';
import { jsonResponse } from '../http.js';

/**
 * Neutron's error answers: `{"NeutronError": {"type": <exception class>, "message", "detail": ""}}`
 * (neutron_lib exceptions as the API layer serializes them).
 */

export class NeutronError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(status: number, type: string, message: string) {
    super(message);
    this.name = 'NeutronError';
    this.status = status;
    this.type = type;
  }
}

const TYPES: Readonly<Record<number, string>> = {
  400: 'HTTPBadRequest',
  401: 'HTTPUnauthorized',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  409: 'HTTPConflict',
  429: 'HTTPTooManyRequests',
  500: 'HTTPInternalServerError',
  503: 'HTTPServiceUnavailable',
};

export function neutronErrorResponse(status: number, message: string, type?: string): SimResponse {
  return jsonResponse(status, {
    NeutronError: { type: type ?? TYPES[status] ?? 'HTTPError', message, detail: '' },
  });
}
