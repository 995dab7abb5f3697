/**
 * Opens a user's session on a connector instance from the credentials they saved, and keeps it
 * for the next request: sessions hold token caches, so reopening one per request would log in to
 * the cloud every time. A session is keyed by (user, instance) and remembers which save of the
 * credentials it was opened with; when the user saves new credentials, the old session is closed
 * and a new one opened.
 */

import { createHash } from 'node:crypto';
import type { Session } from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import { credentialAad } from '../credentials/credentials.js';
import { ServerError } from '../errors.js';
import { assertLoadedInstance } from '../loaded-instances.js';
import type { CredentialSet } from '../store/types.js';
import { accountOf } from './accounts.js';

/** A user's session on an instance, and which cloud account its credentials open (accounts.ts). */
export interface OpenedSession {
  readonly session: Session;
  readonly account: string;
}

interface CachedSession {
  /** Which saved credentials the session was opened with (see credentialsVersion). */
  readonly version: string;
  readonly account: string;
  readonly session: Promise<Session>;
}

/**
 * Tells one save of a user's credentials from the next. `updatedAt` alone is not enough: two saves
 * in the same millisecond share it, and the session of the first would be kept. Every save seals
 * its secrets anew (random IV), so the digest of the stored values changes too. Nothing secret is
 * hashed: plain values are not secrets and sealed ones are ciphertext.
 */
function credentialsVersion(saved: CredentialSet): string {
  const digest = createHash('sha256').update(JSON.stringify(saved.values)).digest('base64url');
  return `${saved.updatedAt} ${digest}`;
}

type SessionSources = Pick<BootedServer, 'store' | 'box' | 'registry'>;

export class SessionCache {
  readonly #sources: SessionSources;
  readonly #sessions = new Map<string, CachedSession>();

  constructor(sources: SessionSources) {
    this.#sources = sources;
  }

  /**
   * The user's session on the instance. NOT_FOUND for an unknown instance; CREDENTIALS_INVALID
   * when the user has saved no credentials for it, or they no longer open (the server key changed).
   */
  async open(userId: string, instance: string): Promise<OpenedSession> {
    const { store, box, registry } = this.#sources;
    assertLoadedInstance(registry, instance);
    const saved = await store.getCredentials(userId, instance);
    if (saved === undefined) {
      throw new ServerError(
        'CREDENTIALS_INVALID',
        `You have no credentials for "${instance}"; save your credentials for ${instance} first (PUT /api/credentials/${instance}).`,
        { instance },
      );
    }
    const key = `${userId}\u0000${instance}`;
    const version = credentialsVersion(saved);
    const cached = this.#sessions.get(key);
    if (cached !== undefined && cached.version === version) {
      return { session: await cached.session, account: cached.account };
    }
    if (cached !== undefined) this.#discard(key, cached);

    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(saved.values)) {
      if (value.kind === 'plain') {
        values[name] = value.value;
        continue;
      }
      try {
        values[name] = box.open(value.blob, credentialAad(userId, instance, name));
      } catch {
        // The message names the field, never a value: the blob may be what an attacker planted.
        throw new ServerError(
          'CREDENTIALS_INVALID',
          `Your saved credential "${name}" for "${instance}" can no longer be read (the server's secret key changed?); save your credentials for ${instance} again.`,
          { instance },
        );
      }
    }
    const session = registry.instance(instance).session(values);
    const entry: CachedSession = { version, account: accountOf(saved.values), session };
    this.#sessions.set(key, entry);
    // A session that failed to open is not kept: the next request tries again.
    session.catch(() => {
      if (this.#sessions.get(key) === entry) this.#sessions.delete(key);
    });
    return { session: await session, account: entry.account };
  }

  /** Closes every open session. */
  async close(): Promise<void> {
    const entries = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(entries.map((entry) => closeSession(entry)));
  }

  #discard(key: string, entry: CachedSession): void {
    this.#sessions.delete(key);
    void closeSession(entry);
  }
}

async function closeSession(entry: CachedSession): Promise<void> {
  try {
    await (await entry.session).close?.();
  } catch {
    // A session that failed to open or close holds nothing worth reporting.
  }
}
