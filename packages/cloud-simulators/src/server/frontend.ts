import type { IncomingHttpHeaders } from 'node:http';

/** A request as a front-end sees it: fully read, body decoded. */
export interface SimRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
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
}
