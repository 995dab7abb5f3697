/**
 * Secret scrubbing. Secrets reach logs and errors in two ways: by name (an Authorization header, a
 * `signature` query parameter) and by value (a cloud echoing a key in an error body). Both are
 * covered here, and every debug event and error body passes through one of these functions.
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are credentials in some cloud's protocol. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-auth-token',
  'x-subject-token',
  'x-api-key',
  'x-amz-security-token',
  'x-sdk-date-signature',
]);

/** Query and form parameter names that carry credentials in CloudStack, EC2 and others. */
const SECRET_PARAMS =
  /^(signature|apikey|api_key|secretkey|secret|password|passwd|token|x-amz-signature|x-amz-credential|x-amz-security-token|awsaccesskeyid|sessionkey)$/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** Replaces every occurrence of each secret value in `text`. Short values are left alone. */
export function redactValues(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    // One- to three-character "secrets" would blank out ordinary text and protect nothing.
    if (secret.length < 4) continue;
    // Also the percent-encoded form: secrets travel in query strings and form bodies.
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      result = result.split(form).join(REDACTED);
  }
  return result;
}

/** A URL safe to log: secret query parameters blanked, user info removed, secret values scrubbed. */
export function redactUrl(url: string | URL, secrets: readonly string[] = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactValues(String(url), secrets);
  }
  if (parsed.username || parsed.password) {
    parsed.username = '';
    parsed.password = '';
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  // URLSearchParams percent-encodes the marker; show it as written so logs read plainly.
  return redactValues(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED), secrets);
}

/** Headers safe to log: credential headers blanked, secret values scrubbed from the others. */
export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  secrets: readonly string[] = [],
): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    safe[name] = isSecretHeader(name) ? REDACTED : redactValues(text, secrets);
  }
  return safe;
}
