/**
 * The login session cookie: reading it from a Cookie header and writing its Set-Cookie value.
 * Hand-written (RFC 6265 §4.1/§5.2 subset) because only this one cookie is ever read or set.
 */

/** Name of the login session cookie. */
export const SESSION_COOKIE = 'slipstream_session';

/** The value of cookie `name` in a Cookie header, or undefined. Malformed pairs are skipped. */
export function readCookie(header: string | readonly string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const pair of String(text).split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    return value.length > 0 ? value : undefined;
  }
  return undefined;
}

export interface SessionCookieOptions {
  /** Seconds until the browser drops it; 0 deletes it. */
  readonly maxAgeSeconds: number;
  /** Set only for https requests, so the cookie still works on a plain-http localhost server. */
  readonly secure: boolean;
}

/** The Set-Cookie value for the session cookie: HttpOnly (no script reads it), SameSite=Lax, Path=/. */
export function sessionCookie(value: string, options: SessionCookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
