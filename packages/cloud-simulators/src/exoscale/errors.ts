import type { SimError } from '../model/errors.js';
import type { SimResponse } from '../server/frontend.js';

/**
 * Exoscale API v2 error answers: a status and a `{"message": "..."}` body, the shape the compute
 * endpoints return (e.g. 403 `{"message":"Invalid request signature"}`, 404
 * `{"message":"Instance not found"}`, as recorded in python-exoscale's client tests). Statuses
 * follow Exoscale's own error taxonomy (the exoscale/ex library's HTTP mapping): incorrect → 400,
 * forbidden → 401/403, not-found → 404, unsupported → 405/501, conflict → 409, busy → 429/503,
 * fault → 500, unavailable → 502/504.
 */

export function errorResponse(status: number, message: string): SimResponse {
  return { status, body: JSON.stringify({ message }) };
}

/** Thrown by request handlers; the front-end answers it as an Exoscale error. */
export class ExoscaleApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ExoscaleApiError';
    this.status = status;
  }
}

export const badRequest = (message: string): ExoscaleApiError => new ExoscaleApiError(400, message);
export const notFound = (message: string): ExoscaleApiError => new ExoscaleApiError(404, message);

/**
 * The model's refusals in Exoscale's terms. Quota is `forbidden` in Exoscale's taxonomy, hence
 * 403; the message names the quota so that clients can tell it from a refused signature.
 */
export function fromSimError(error: SimError): ExoscaleApiError {
  switch (error.kind) {
    case 'not-found':
      return notFound(error.message);
    case 'invalid':
      return badRequest(error.message);
    case 'quota':
      return new ExoscaleApiError(403, `Quota exceeded for compute instances: ${error.message}`);
    case 'conflict':
    case 'state':
      return new ExoscaleApiError(409, error.message);
  }
}
