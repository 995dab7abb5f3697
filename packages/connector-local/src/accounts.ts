import { createHash, timingSafeEqual } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';

/** One account of the local cloud: what a user types as credentials. */
export interface LocalAccount {
  readonly key: string;
  readonly secret: string;
}

/**
 * Parses the `accounts` instance parameter: `key:secret` pairs separated by commas. The secret is
 * everything after the first colon, so it may contain colons itself.
 *
 * Errors name the entry's position and never its text: the whole value is a secret parameter, and
 * echoing a malformed entry would print a secret into the server's log.
 */
export function parseAccounts(value: string): LocalAccount[] {
  const entries = value.split(',').map((entry) => entry.trim());
  const problems: string[] = [];
  const accounts: LocalAccount[] = [];
  const firstPositionOf = new Map<string, number>();
  entries.forEach((entry, index) => {
    const position = index + 1;
    if (entry === '') {
      problems.push(`entry ${position} is empty (a doubled or trailing comma?)`);
      return;
    }
    const colon = entry.indexOf(':');
    if (colon < 0) {
      problems.push(`entry ${position} has no ":" between key and secret`);
      return;
    }
    const key = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (key === '') problems.push(`entry ${position} has an empty key`);
    if (secret === '') problems.push(`entry ${position} has an empty secret`);
    if (key === '' || secret === '') return;
    const first = firstPositionOf.get(key);
    if (first !== undefined) {
      problems.push(`entries ${first} and ${position} have the same key`);
      return;
    }
    firstPositionOf.set(key, position);
    accounts.push({ key, secret });
  });
  if (problems.length > 0) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "accounts" must be "key:secret" pairs separated by commas, e.g. "alice:s3cret,bob:hunter22"; ${problems.join('; ')}.`,
      { problems: problems.map((message) => ({ key: 'accounts', message })) },
    );
  }
  return accounts;
}

/**
 * Checks credentials the way a careful cloud does: only digests of the secrets are kept, and the
 * comparison takes the same time whether the key exists or how much of the secret is right, so
 * response times reveal nothing.
 */
export class AccountBook {
  readonly #digests: ReadonlyMap<string, Buffer>;

  constructor(accounts: readonly LocalAccount[]) {
    this.#digests = new Map(accounts.map((account) => [account.key, digest(account.secret)]));
  }

  /** Returns the account key when key and secret match; AUTH_FAILED otherwise. */
  authenticate(key: string, secret: string): string {
    const expected = this.#digests.get(key);
    // An unknown key is still compared, against a digest no secret produces, so that it costs the
    // same time as a wrong secret.
    const matches = timingSafeEqual(digest(secret), expected ?? NO_ACCOUNT);
    if (expected === undefined || !matches) {
      // Like a real cloud, the message does not say which half was wrong (that would confirm
      // which keys exist) and contains neither value.
      throw new ConnectorError(
        'AUTH_FAILED',
        'The local cloud rejected the credentials: unknown key or wrong secret.',
      );
    }
    return key;
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** 32 zero bytes: the same length as a SHA-256 digest, and no secret hashes to it. */
const NO_ACCOUNT = Buffer.alloc(32);
