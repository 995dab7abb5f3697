/**
 * One error shape for every API answer: `{ error: { code, message, problems? } }`. The code is a
 * ServerError's (the server refused) or a ConnectorError's (a cloud or connector said so). Only
 * those messages and our own validation messages reach the client; anything else becomes a
 * generic 500, so no stack trace, internal detail or secret carried by an unexpected error is sent.
 */

import { ConnectorError, type ErrorCode, type Problem } from '@slipstream/connector-core';
import { SERVER_ERROR_STATUS, ServerError } from '../errors.js';
import { describeValidationErrors, type RequestShape, type ValidationItem } from './validation.js';

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly problems?: readonly Problem[];
  };
}

export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  /** Seconds for a Retry-After header, when the caller should wait. */
  readonly retryAfterSeconds?: number;
}

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  CONFIG_INVALID: 400,
  INVALID_REQUEST: 400,
  CREDENTIALS_INVALID: 400,
  AUTH_FAILED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  QUOTA_EXCEEDED: 409,
  RATE_LIMITED: 429,
  UNSUPPORTED: 501,
  CLOUD_ERROR: 502,
  CLOUD_UNAVAILABLE: 503,
  TIMEOUT: 504,
  ABORTED: 500,
  CONNECTOR_UNKNOWN: 500,
  CONNECTOR_NOT_INSTALLED: 500,
  CONNECTOR_LOAD_FAILED: 500,
  CONTRACT_MISMATCH: 500,
};

/** The HTTP status an error code answers with. */
export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/** Fastify's own client errors (parsing, size, media type) and how we word them. */
const FRAMEWORK_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large; send at most {limit}.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'The request body must be JSON; send it with the header "Content-Type: application/json".',
  FST_ERR_CTP_EMPTY_JSON_BODY:
    'The request says its body is JSON but the body is empty; send a JSON object or drop the Content-Type header.',
  // Fastify's parser gives this one code for bad syntax and for keys refused as prototype pollution.
  FST_ERR_CTP_INVALID_JSON_BODY:
    'The request body is not valid JSON (check its syntax), or it has a "__proto__" key or a "constructor" object with a "prototype" key, which the server refuses (rename them).',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH:
    'The Content-Length header does not match the body; resend the request.',
  // Router errors: their own text quotes the whole path back, so they are reworded too.
  FST_ERR_BAD_URL:
    'The request path has a malformed percent-encoded character; encode path parts with encodeURIComponent.',
  FST_ERR_MAX_PARAM_LENGTH:
    'A part of the request path (an instance name or VM id) is too long; check the URL.',
};

interface FrameworkError {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly validation?: readonly ValidationItem[];
  readonly validationContext?: unknown;
  readonly name?: unknown;
}

function answer(status: number, code: string, message: string, problems?: readonly Problem[]): ErrorAnswer {
  return {
    status,
    body: { error: { code, message, ...(problems && problems.length > 0 ? { problems } : {}) } },
  };
}

export interface ErrorAnswerOptions {
  readonly bodyLimit: number;
  /**
   * What the route takes, by the part of the request Fastify validated (`body`, `querystring`):
   * its schema and an example, so that a refusal can say what to send instead.
   */
  readonly shapes?: Readonly<Record<string, RequestShape>> | undefined;
}

/** Maps anything thrown while handling a request to the answer to send. */
export function errorAnswer(error: unknown, options: ErrorAnswerOptions): ErrorAnswer {
  if (ServerError.is(error) || ConnectorError.is(error)) {
    const status = ServerError.is(error) ? SERVER_ERROR_STATUS[error.code] : statusForCode(error.code);
    const base = answer(status, error.code, error.message, error.problems);
    if (error.code === 'RATE_LIMITED') {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
      return { ...base, retryAfterSeconds: seconds };
    }
    return base;
  }
  const framework = (typeof error === 'object' && error !== null ? error : {}) as FrameworkError;
  if (Array.isArray(framework.validation)) {
    const context = typeof framework.validationContext === 'string' ? framework.validationContext : 'body';
    const problems = describeValidationErrors(context, framework.validation, options.shapes?.[context]);
    return answer(400, 'INVALID_REQUEST', problems[0]?.message ?? '', problems);
  }
  const status = typeof framework.statusCode === 'number' ? framework.statusCode : 500;
  const code = typeof framework.code === 'string' ? framework.code : '';
  if (code in FRAMEWORK_MESSAGES) {
    const message = (FRAMEWORK_MESSAGES[code] ?? '').replace('{limit}', `${options.bodyLimit} bytes`);
    return answer(status, 'INVALID_REQUEST', message);
  }
  if (framework.name === 'SyntaxError' && status === 400) {
    return answer(400, 'INVALID_REQUEST', 'The request body is not valid JSON; check its syntax.');
  }
  if (status >= 400 && status < 500) {
    return answer(status, 'INVALID_REQUEST', 'The request is not valid; check its method, headers and body.');
  }
  // Not a ConnectorError code on purpose: nothing the client did or a cloud said caused it.
  return answer(
    500,
    'INTERNAL_ERROR',
    'The server failed to handle the request; see the server log for details.',
  );
}
