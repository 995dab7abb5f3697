/**
 * Paths for pino's `redact` option on the server's logger. Pino's wildcards match exactly one level
 * (`*.password` does not reach `a.b.password`), so every sensitive field name is listed at each
 * depth from the top level down to MAX_DEPTH — deep enough for a request (`req.headers.cookie`),
 * a request body (`req.body.credentials.secret`) or an error with its context. These paths are the
 * safety net; the first defence is not to log secrets at all.
 */

/** Deepest nesting level (0 = top level) at which a sensitive field name is censored. */
export const REDACTION_MAX_DEPTH = 4;

/** Field names whose values are secrets wherever they appear (compared exactly: pino paths are case-sensitive). */
export const SECRET_FIELD_NAMES: readonly string[] = [
  // HTTP headers (Node lower-cases incoming header names; outgoing ones may be capitalised).
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'Set-Cookie',
  'x-api-key',
  'x-csrf-token',
  // Account and credential fields the server handles.
  'password',
  'newPassword',
  'currentPassword',
  'oldPassword',
  'passwordHash',
  'secret',
  'secretKey',
  'secret_key',
  'clientSecret',
  'client_secret',
  'token',
  'apiToken',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'apiKey',
  'api_key',
  'csrfToken',
  'privateKey',
  'credentials',
  'sessionId',
];

/** A path segment in pino's syntax: plain identifiers with dots, anything else in brackets. */
function segment(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `[${JSON.stringify(name)}]`;
}

function buildPaths(): string[] {
  const paths: string[] = [];
  for (let depth = 0; depth <= REDACTION_MAX_DEPTH; depth++) {
    const prefix = '*.'.repeat(depth);
    for (const name of SECRET_FIELD_NAMES) {
      const seg = segment(name);
      // A bracketed segment follows a wildcard directly (`*["set-cookie"]`), a plain one after a dot.
      paths.push(seg.startsWith('[') ? `${prefix.slice(0, -1)}${seg}` : `${prefix}${seg}`);
    }
  }
  return paths;
}

/** The server logger's `redact.paths`: `pino({ redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } })`. */
export const REDACT_PATHS: readonly string[] = Object.freeze(buildPaths());
