/**
 * User names are unique case-insensitively: `Alice` and `alice` are one account. The store, the
 * login rate limiter and the login route all compare names through {@link userNameKey}.
 */

/** The longest user name the API accepts. */
export const MAX_USER_NAME_LENGTH = 64;

/**
 * The form two user names are compared in. Only ASCII letters are folded, exactly as SQLite's
 * NOCASE collation behind the `users_name_nocase` index does: a name the database takes as
 * distinct must never be counted as the same account here, nor the other way round. (Names made
 * through the API are ASCII only.)
 */
export function userNameKey(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * The first of `<name>-2`, `<name>-3`, … whose key is not in `taken`, cut to fit
 * {@link MAX_USER_NAME_LENGTH}. A name the API accepts stays one it accepts: only its end is cut
 * and `-` and digits are allowed after the first character.
 */
export function freeUserName(name: string, taken: ReadonlySet<string>): string {
  // By code points, so a cut never splits a character in two.
  const characters = Array.from(name);
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = characters.slice(0, MAX_USER_NAME_LENGTH - suffix.length).join('') + suffix;
    if (!taken.has(userNameKey(candidate))) return candidate;
  }
}
