/**
 * Every failure a connector, the loader or the transport reports is one `ConnectorError` with a
 * stable UPPER_SNAKE code. Callers branch on `code` and `retryable`, never on message text.
 */

export const ERROR_CODES = [
  'AUTH_FAILED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'QUOTA_EXCEEDED',
  'RATE_LIMITED',
  'TIMEOUT',
  'CLOUD_UNAVAILABLE',
  'CLOUD_ERROR',
  'INVALID_REQUEST',
  'UNSUPPORTED',
  'ABORTED',
  'CONFIG_INVALID',
  'CREDENTIALS_INVALID',
  'CONNECTOR_UNKNOWN',
  'CONNECTOR_NOT_INSTALLED',
  'CONNECTOR_LOAD_FAILED',
  'CONTRACT_MISMATCH',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes whose failures may succeed when the same call is simply tried again later. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'TIMEOUT', 'CLOUD_UNAVAILABLE']);

/** One item of a multi-problem error: what is wrong, where, and how to fix it. */
export interface Problem {
  /** 1-based position of the entry in a connector list, when the problem is about one entry. */
  readonly position?: number;
  /** The offending input text (never a secret value). */
  readonly text?: string;
  /** Parameter or credential key the problem is about. */
  readonly key?: string;
  /** Instance name the problem is about. */
  readonly instance?: string;
  /** Connector name the problem is about. */
  readonly connector?: string;
  /** A code for this problem when it differs from the error's own code (loader problems). */
  readonly code?: ErrorCode;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export interface ConnectorErrorOptions {
  readonly connector?: string | undefined;
  readonly instance?: string | undefined;
  /** Overrides the code's default retryability. */
  readonly retryable?: boolean | undefined;
  readonly cause?: unknown;
  readonly problems?: readonly Problem[] | undefined;
  /** HTTP status of the cloud response that caused the error, when there was one. */
  readonly status?: number | undefined;
  /** How long the cloud asked us to wait before retrying (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number | undefined;
}

// A registry-wide symbol, so that two copies of core loaded side by side (a connector bundling
// its own, or two versions in node_modules) still recognise each other's errors.
const BRAND = Symbol.for('@slipstream/connector-core/ConnectorError');

export class ConnectorError extends Error {
  readonly code: ErrorCode;
  readonly connector: string | undefined;
  readonly instance: string | undefined;
  readonly retryable: boolean;
  readonly problems: readonly Problem[];
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.connector = options.connector;
    this.instance = options.instance;
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
    this.problems = Object.freeze([...(options.problems ?? [])]);
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a ConnectorError from any copy of core. */
  static is(value: unknown): value is ConnectorError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** True when `value` is a ConnectorError with the given code. */
  static hasCode(value: unknown, code: ErrorCode): value is ConnectorError {
    return ConnectorError.is(value) && value.code === code;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      connector: this.connector,
      instance: this.instance,
      retryable: this.retryable,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      problems: this.problems.length > 0 ? this.problems : undefined,
    };
  }
}

/** True when the error says the operation was aborted by its caller's signal. */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { name?: unknown }).name === 'AbortError' || ConnectorError.hasCode(error, 'ABORTED'))
  );
}

/** Throws ABORTED when the signal has already fired; call at the start of every operation. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new ConnectorError('ABORTED', `${what} was aborted before it completed.`, { cause: signal.reason });
  }
}

const LISTED_PROBLEMS = 20;

/**
 * The problems as an indented list for an error message, the first twenty of them: the full list
 * stays in `problems`, and a message must stay readable however bad the input was.
 */
export function formatProblems(problems: readonly (Problem | string)[]): string {
  const lines = problems.slice(0, LISTED_PROBLEMS).map((p) => `  - ${typeof p === 'string' ? p : p.message}`);
  if (problems.length > LISTED_PROBLEMS) lines.push(`  - … and ${problems.length - LISTED_PROBLEMS} more`);
  return lines.join('\n');
}

/**
 * True when a failed call may still have taken effect in the cloud: no answer came (connection
 * lost, timeout), the cloud answered a server error (a gateway may have forwarded the request, a
 * service may have failed after acting), or it answered success with a body that could not be read
 * (cut short, garbled: the call went through, only its answer was lost). A connector checks the
 * cloud before reporting such a failure of a call that creates something, so that a retry never
 * makes a second one.
 */
export function isAmbiguousFailure(error: unknown): boolean {
  if (!ConnectorError.is(error)) return false;
  if (error.status === undefined) return error.code === 'CLOUD_UNAVAILABLE' || error.code === 'TIMEOUT';
  return error.status >= 500 || (error.status >= 200 && error.status < 300);
}
