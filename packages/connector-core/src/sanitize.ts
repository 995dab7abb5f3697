import { ConnectorError, type Problem } from './errors.js';
import { redactValues } from './redact.js';

/**
 * Making errors safe to keep, return and log. A connector's or library's error may quote a secret
 * anywhere — message, problem fields, a cause three levels down, an arbitrary property holding the
 * request — so what leaves core is rebuilt from scrubbed text only.
 */

const MAX_CAUSE_DEPTH = 4;

/** The error's message (or the thrown value as text), scrubbed; never throws. */
export function errorText(error: unknown, secrets: readonly string[]): string {
  let text: string;
  try {
    text = error instanceof Error ? error.message : String(error);
  } catch {
    text = 'an unprintable value was thrown';
  }
  return redactValues(text, secrets);
}

function scrubProblem(problem: Problem, secrets: readonly string[]): Problem {
  const scrubbed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(problem)) {
    scrubbed[key] = typeof value === 'string' ? redactValues(value, secrets) : value;
  }
  return scrubbed as unknown as Problem;
}

/**
 * A ConnectorError rebuilt with every text scrubbed; `defaults` fill in connector and instance
 * when the thrower did not set them.
 */
export function scrubConnectorError(
  error: ConnectorError,
  secrets: readonly string[],
  defaults: { readonly connector?: string | undefined; readonly instance?: string | undefined } = {},
  depth = 0,
): ConnectorError {
  return new ConnectorError(error.code, redactValues(error.message, secrets), {
    connector: error.connector ?? defaults.connector,
    instance: error.instance ?? defaults.instance,
    retryable: error.retryable,
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    problems: error.problems.map((problem) => scrubProblem(problem, secrets)),
    cause: sanitizeError(error.cause, secrets, depth + 1),
  });
}

/**
 * A copy of an error chain that is safe to keep as a `cause`: scrubbed messages, names and string
 * codes only — no other properties, which may hold sockets, headers or request bodies.
 */
export function sanitizeError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (error === undefined || error === null || depth > MAX_CAUSE_DEPTH) return undefined;
  if (ConnectorError.is(error)) return scrubConnectorError(error, secrets, {}, depth);
  if (!(error instanceof Error)) return errorText(error, secrets);
  const cause = sanitizeError(error.cause, secrets, depth + 1);
  const copy = new Error(errorText(error, secrets), cause === undefined ? undefined : { cause });
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}
