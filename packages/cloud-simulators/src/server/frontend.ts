import type { IncomingHttpHeaders } from 'node:http';

/** A request as a front-end sees it: fully read, body decoded. */
export interface SimRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /**
   * Header names and values as received, in order, repeated names repeated (Node's `rawHeaders`),
   * for signatures that cover headers exactly as sent; absent when the request was not read from a
   * socket.
   */
  readonly rawHeaders?: readonly string[] | undefined;
  readonly body: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One cloud's protocol on top of the shared model: parsing, signatures, envelopes, errors. */
export interface FrontEnd {
  /**
   * The API operation a request calls (CloudStack's `command`, Exoscale's operation id): request
   * logs and fault rules use it.
   */
  operationOf(request: SimRequest): string;
  handle(request: SimRequest): SimResponse | Promise<SimResponse>;
  /**
   * The cloud's own error response for a status, used when a fault replaces an answer. `request`
   * is the request it replaces, for clouds whose services answer errors in different shapes.
   */
  errorResponse(status: number, message: string, request?: SimRequest): SimResponse;
  /**
   * The cloud's own answer when the control's `rateLimit` fault throttles a request, for clouds
   * that do not throttle with 429 (EC2 answers 503 RequestLimitExceeded). Without it the server
   * answers `errorResponse(429, …)` with a `Retry-After` header.
   */
  throttleResponse?(retryAfterSeconds: number, request: SimRequest): SimResponse;
}
