/**
 * Encryption at rest for secrets the server must be able to read back (users' cloud credentials).
 * AES-256-GCM with a random 96-bit IV per value; the additional authenticated data (AAD) names where
 * the value is stored, e.g. `credentials/<userId>/<instance>/<key>`, so a sealed blob copied to
 * another user's row or another key fails to open instead of leaking someone else's secret.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ServerError } from '../errors.js';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';
const B64URL = /^[A-Za-z0-9_-]*$/;

function checkAad(aad: unknown): string {
  if (typeof aad !== 'string' || aad.length === 0) {
    throw new ServerError(
      'INVALID_REQUEST',
      'SecretBox needs the storage location as associated data (e.g. "credentials/<userId>/<instance>/<key>").',
    );
  }
  return aad;
}

export class SecretBox {
  readonly #key: Buffer;

  /** `key` must be 32 bytes (see `loadSecretKey`); the box keeps its own copy. */
  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
      throw new ServerError(
        'CONFIG_INVALID',
        `The secret key must be exactly ${KEY_BYTES} bytes; got ${key instanceof Uint8Array ? key.length : 'no key'}.`,
      );
    }
    this.#key = Buffer.from(key);
  }

  /** Encrypts `plaintext` bound to `aad`, returning `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
  seal(plaintext: string, aad: string): string {
    if (typeof plaintext !== 'string') {
      throw new ServerError(
        'INVALID_REQUEST',
        'SecretBox.seal only accepts text; encode binary values first.',
      );
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(checkAad(aad), 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /**
   * Decrypts a value sealed for `aad`. Any failure — another key, altered bytes, a blob moved from
   * another location — is one CONFIG_INVALID error naming the location, never the value.
   */
  open(sealed: string, aad: string): string {
    const where = checkAad(aad);
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    const [version, ivText, tagText, ciphertextText] = parts;
    if (
      parts.length !== 4 ||
      version !== VERSION ||
      ![ivText, tagText, ciphertextText].every((p) => p !== undefined && B64URL.test(p))
    ) {
      throw new ServerError(
        'CONFIG_INVALID',
        `The stored secret for ${where} is not a ${VERSION} sealed value; it was damaged or written by something else. Enter the secret again.`,
      );
    }
    const iv = Buffer.from(ivText ?? '', 'base64url');
    const tag = Buffer.from(tagText ?? '', 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new ServerError(
        'CONFIG_INVALID',
        `The stored secret for ${where} has a damaged header; enter the secret again.`,
      );
    }
    try {
      // authTagLength is fixed so a truncated tag (weaker authentication) is refused, not accepted.
      const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(where, 'utf8'));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([
        decipher.update(Buffer.from(ciphertextText ?? '', 'base64url')),
        decipher.final(),
      ]);
      return plaintext.toString('utf8');
    } catch {
      // No cause: nothing from the failed decryption (partial plaintext included) may travel onwards.
      throw new ServerError(
        'CONFIG_INVALID',
        `The stored secret for ${where} could not be decrypted: the server's secret key is not the one it was sealed with, or the stored value was altered or copied from another place. Restore the original SLIPSTREAM_SECRET_KEY or secret.key, or enter the secret again.`,
      );
    }
  }
}
