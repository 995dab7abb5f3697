import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimRequest, SimResponse } from '../server/frontend.js';

/**
 * What the OpenStack services share about HTTP: one request as a service sees it (below its root),
 * JSON answers with the request id every OpenStack service sends, and header access.
 */

/** A request addressed to one service, its root already removed from the path. */
export interface ServiceRequest {
  readonly method: string;
  /** Below the service root and percent-decoded, e.g. `/servers/detail`; `''` for the root itself. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The service root as the client addressed it, e.g. `http://127.0.0.1:5000/compute/v2.1`. */
  readonly root: string;
}

/** The request below `prefix` (which the path is known to start with), rooted at `origin + prefix`. */
export function serviceRequest(request: SimRequest, prefix: string, origin: string): ServiceRequest {
  const path = decodePath(request.url.pathname).slice(prefix.length);
  return {
    method: request.method.toUpperCase(),
    path,
    query: request.url.searchParams,
    headers: request.headers,
    body: request.body,
    root: `${origin}${prefix}`,
  };
}

/** `http://host:port` as the client addressed the simulator (the Host header), else `fallback`. */
export function originOf(request: SimRequest, fallback: string): string {
  const host = header(request.headers, 'host');
  return host ? `http://${host}` : fallback;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A malformed escape leaves the path as sent rather than failing the request. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Every OpenStack service tags its answers with a request id (oslo.middleware request_id). */
export function requestIdHeaders(): Record<string, string> {
  return { 'x-openstack-request-id': `req-${randomUUID()}` };
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...requestIdHeaders(), ...headers },
    body: JSON.stringify(body),
  };
}

export function emptyResponse(status: number, headers: Readonly<Record<string, string>> = {}): SimResponse {
  // A body-less answer still declares a type: the transport would otherwise default it to JSON.
  return {
    status,
    headers: { 'content-type': 'text/html; charset=UTF-8', ...requestIdHeaders(), ...headers },
    body: '',
  };
}

/** Parses a JSON request body; undefined when it is not JSON at all (each service words that itself). */
export function parseJson(body: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
