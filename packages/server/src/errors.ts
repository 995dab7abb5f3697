/**
 * The server's own errors: what a request asked that the server refuses, or what its own parts
 * (store, settings, keys) report. Core's ConnectorError codes describe what clouds and connectors
 * say; these describe the server. Both reach the client in one shape (http/errors.ts).
 */

import { ConnectorError, type Problem } from '@slipstream/connector-core';

export const SERVER_ERROR_CODES = [
  'INVALID_REQUEST',
  'CONFIG_INVALID',
  'CREDENTIALS_INVALID',
  'AUTH_FAILED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'CONFLICT',
  'QUOTA_EXCEEDED',
  'RATE_LIMITED',
  'STORE_UNAVAILABLE',
] as const;

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/** The HTTP status each code answers with. */
export const SERVER_ERROR_STATUS: Readonly<Record<ServerErrorCode, number>> = {
  INVALID_REQUEST: 400,
  CONFIG_INVALID: 400,
  CREDENTIALS_INVALID: 400,
  AUTH_FAILED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  QUOTA_EXCEEDED: 409,
  RATE_LIMITED: 429,
  // The database does not answer: nothing the client did, and worth retrying.
  STORE_UNAVAILABLE: 503,
};

export interface ServerErrorOptions {
  /** Each thing wrong, when there are several (settings, configuration, credentials). */
  readonly problems?: readonly Problem[] | undefined;
  /** How long to wait before trying again (RATE_LIMITED). */
  readonly retryAfterMs?: number | undefined;
  /** The connector instance the error is about, when there is one. */
  readonly instance?: string | undefined;
  readonly cause?: unknown;
}

export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly problems: readonly Problem[];
  readonly retryAfterMs: number | undefined;
  readonly instance: string | undefined;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServerError';
    this.code = code;
    this.problems = Object.freeze([...(options.problems ?? [])]);
    this.retryAfterMs = options.retryAfterMs;
    this.instance = options.instance;
  }

  static is(value: unknown): value is ServerError {
    return value instanceof ServerError;
  }

  /** True when `value` is a ServerError with the given code. */
  static hasCode(value: unknown, code: ServerErrorCode): value is ServerError {
    return value instanceof ServerError && value.code === code;
  }
}

/** A problem as the API shows it: only the fields ERROR_SCHEMA documents, never anything else it carries. */
export function problemView(problem: Problem): Problem {
  return {
    message: problem.message,
    ...(problem.code === undefined ? {} : { code: problem.code }),
    ...(problem.instance === undefined ? {} : { instance: problem.instance }),
    ...(problem.connector === undefined ? {} : { connector: problem.connector }),
    ...(problem.position === undefined ? {} : { position: problem.position }),
    ...(problem.text === undefined ? {} : { text: problem.text }),
    ...(problem.key === undefined ? {} : { key: problem.key }),
  };
}

/** True for the errors whose messages are written for people: the server's own, and clouds'. */
export function isKnownError(error: unknown): error is ServerError | ConnectorError {
  return ServerError.is(error) || ConnectorError.is(error);
}
