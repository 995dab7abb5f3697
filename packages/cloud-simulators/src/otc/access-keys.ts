import { randomInt } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import type { SimAccount } from '../model/types.js';

/**
 * The permanent access keys of the IAM users (one per model account): an access key ID (AK) of
 * 20 uppercase letters and digits, and a secret access key (SK) of 40 letters and digits, the
 * shapes OTC issues. An AK belongs to its user: disabling the user (revoking or expiring the model
 * account) disables its keys.
 */

export interface AccessKey {
  readonly accessKey: string;
  readonly secretKey: string;
  /** The model account (its key, the IAM user name) the key belongs to. */
  readonly user: string;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = `${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz`;

function randomText(alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}

export class AccessKeys {
  readonly #cloud: SimCloud;
  readonly #keys = new Map<string, AccessKey>();

  constructor(cloud: SimCloud) {
    this.#cloud = cloud;
  }

  /** Issues a new access key for the user (the account with this key). */
  issue(user: string): AccessKey {
    if (!this.#cloud.accountByKey(user)) throw new Error(`No IAM user is named ${user}.`);
    const key: AccessKey = {
      accessKey: randomText(UPPER_ALNUM, 20),
      secretKey: randomText(ALNUM, 40),
      user,
    };
    this.#keys.set(key.accessKey, key);
    return key;
  }

  get(accessKey: string): AccessKey | undefined {
    return this.#keys.get(accessKey);
  }

  /** The account an access key belongs to, whatever its status. */
  accountOf(accessKey: string): SimAccount | undefined {
    const key = this.#keys.get(accessKey);
    return key ? this.#cloud.accountByKey(key.user) : undefined;
  }

  /** Every key, in the order issued. */
  all(): AccessKey[] {
    return [...this.#keys.values()];
  }

  /** Deletes a key, as IAM's "delete permanent access key" does. */
  delete(accessKey: string): boolean {
    return this.#keys.delete(accessKey);
  }
}
