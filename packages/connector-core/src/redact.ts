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
  'x-auth-key',
  'x-subject-token',
  'x-api-key',
  'x-amz-security-token',
  'x-security-token',
  'x-vcloud-authorization',
  'x-sdk-date-signature',
]);

/** Query and form parameter names that carry credentials in CloudStack, EC2, OAuth and others. */
const SECRET_PARAMS =
  /^(signature|apikey|api_key|secretkey|secret|client_secret|password|passwd|token|access_token|refresh_token|id_token|x-amz-signature|x-amz-credential|x-amz-security-token|awsaccesskeyid|sessionkey)$/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/**
 * Every form a secret travels in: as is, percent-encoded (query strings), form-encoded (spaces as
 * "+") and JSON-escaped (request and error bodies).
 */
function encodings(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  return [
    ...new Set([secret, percent, percent.replaceAll('%20', '+'), form, JSON.stringify(secret).slice(1, -1)]),
  ];
}

/** Replaces every occurrence of each secret value in `text`. Short values are left alone. */
export function redactValues(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so that a secret containing a shorter one is blanked whole, not in part.
  const forms = secrets
    // One- to three-character "secrets" would blank out ordinary text and protect nothing.
    .filter((secret) => typeof secret === 'string' && secret.length >= 4)
    .flatMap(encodings)
    .sort((a, b) => b.length - a.length);
  for (const form of forms) result = result.split(form).join(REDACTED);
  return result;
}

/** A URL safe to log: secret query parameters blanked, user info removed, secret values scrubbed. */
export function redactUrl(url: string | URL, secrets: readonly string[] = []): string {
  // Values first, while the text is still encoded as the caller wrote it: blanking parameters
  // below re-serializes the query in another encoding that a secret would no longer match.
  const scrubbed = redactValues(String(url), secrets);
  let parsed: URL;
  try {
    parsed = new URL(scrubbed);
  } catch {
    return redactUnparsedUrl(scrubbed);
  }
  if (parsed.username || parsed.password) {
    parsed.username = '';
    parsed.password = '';
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  // Re-serializing percent-encodes the marker; show it as written so logs read plainly.
  return parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/**
 * Text that does not parse as a URL can still carry a URL's secrets: a password in user info
 * beside a typo in the host (`https://u:pw@cloud example.org`), a `password=` parameter after a
 * missing scheme. They are blanked by pattern, erring on the side of blanking too much.
 */
function redactUnparsedUrl(text: string): string {
  return text
    .replace(/^([^/?#]*\/\/).*@/s, `$1${REDACTED}@`)
    .replace(/([?&;])([^=&#;]*)=([^&#;]*)/g, (match, separator: string, name: string) =>
      SECRET_PARAMS.test(name) ? `${separator}${name}=${REDACTED}` : match,
    );
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
