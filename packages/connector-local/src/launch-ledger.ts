import { createHash } from 'node:crypto';
import { ConnectorError, type Tags } from '@slipstream/connector-core';

/** A launch request with the defaults applied, so that "same request" compares what was meant. */
export interface ResolvedLaunch {
  readonly idempotencyKey: string;
  readonly name: string;
  readonly image: string;
  readonly size: string;
  readonly zone: string;
  readonly count: number;
  readonly sshPublicKey?: string | undefined;
  readonly userData?: string | undefined;
  readonly tags: Tags;
}

interface PastLaunch {
  readonly fingerprint: string;
  readonly summary: string;
  readonly ids: readonly string[];
}

/**
 * Remembers, per account, which VMs each idempotency key created. A retried launch (the client
 * timed out, the server restarted mid-call) must get the first launch's VMs back rather than
 * create more; a key reused for a *different* launch is a client bug and is refused, because
 * silently returning unrelated VMs would be worse.
 *
 * Keys are kept for the life of the instance: a few bytes each, and a retry may come late.
 */
export class LaunchLedger {
  readonly #byAccount = new Map<string, Map<string, PastLaunch>>();

  /**
   * The ids the key's first launch created, or `undefined` when the key is new to the account.
   * INVALID_REQUEST when the key was used for a different launch.
   */
  replay(account: string, launch: ResolvedLaunch): readonly string[] | undefined {
    const past = this.#byAccount.get(account)?.get(launch.idempotencyKey);
    if (past === undefined) return undefined;
    if (past.fingerprint !== fingerprint(launch)) {
      throw new ConnectorError(
        'INVALID_REQUEST',
        `Idempotency key "${launch.idempotencyKey}" was already used for a different launch (${past.summary}); ` +
          'repeat that exact request to get its VMs back, or use a new key for a new launch.',
      );
    }
    return past.ids;
  }

  record(account: string, launch: ResolvedLaunch, ids: readonly string[]): void {
    let launches = this.#byAccount.get(account);
    if (launches === undefined) {
      launches = new Map();
      this.#byAccount.set(account, launches);
    }
    launches.set(launch.idempotencyKey, {
      fingerprint: fingerprint(launch),
      summary: summarize(launch),
      ids,
    });
  }
}

/**
 * A digest of everything that shapes the VMs, so that a 1 MiB user-data is not kept twice. Tags are
 * sorted because their order carries no meaning.
 */
function fingerprint(launch: ResolvedLaunch): string {
  const { name, image, size, zone, count, sshPublicKey, userData, tags } = launch;
  const sortedTags = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([
    name,
    image,
    size,
    zone,
    count,
    sshPublicKey ?? null,
    userData ?? null,
    sortedTags,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

function summarize(launch: ResolvedLaunch): string {
  return `${launch.count} × ${launch.image}/${launch.size} named "${launch.name}" in ${launch.zone}`;
}
