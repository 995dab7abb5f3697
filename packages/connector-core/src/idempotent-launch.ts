import type { LaunchRequest, Tags } from './contract.js';
import { ConnectorError, isAmbiguousFailure } from './errors.js';
import { type Logger, silentLogger } from './logger.js';

/**
 * Idempotent launches, the same way for every cloud. Few clouds take a client token on create, so
 * each VM a launch creates carries the launch's idempotency key and its 1-based index in the
 * launch as tags (labels, metadata: whatever the cloud calls them). A launch first finds what
 * earlier tries with its key created, creates only the missing indexes, and when a create's answer
 * is lost (reset connection, timeout, gateway error) looks again before reporting the failure, so
 * that the VM the cloud may have made is returned instead of left behind.
 */

/** The tags the connectors keep on the VMs they launch, spelled the same on every cloud. */
export const LAUNCH_TAGS = Object.freeze({
  idempotencyKey: 'slipstream-idempotency-key',
  launchIndex: 'slipstream-launch-index',
});

const RESERVED: ReadonlySet<string> = new Set(Object.values(LAUNCH_TAGS));

/** True for a tag name the connectors reserve for themselves. */
export function isLaunchTag(name: string): boolean {
  return RESERVED.has(name);
}

/**
 * The tags of the `index`-th VM of a launch: the user's and the connector's own. `key` is the
 * idempotency key as the cloud stores it (a connector whose cloud limits tag values may store a
 * digest). INVALID_REQUEST when the user's tags use a reserved name.
 */
export function launchTags(key: string, index: number, tags: Tags | undefined): Record<string, string> {
  const reserved = Object.keys(tags ?? {}).filter(isLaunchTag);
  if (reserved.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `The tag name${reserved.length > 1 ? 's' : ''} ${reserved.map((name) => `"${name}"`).join(', ')} ${reserved.length > 1 ? 'are' : 'is'} reserved for idempotent launches; rename ${reserved.length > 1 ? 'them' : 'it'}.`,
    );
  }
  return { ...tags, [LAUNCH_TAGS.idempotencyKey]: key, [LAUNCH_TAGS.launchIndex]: String(index) };
}

/** The launch index a VM's tags record when they carry `key`; undefined for a VM of another launch. */
export function launchIndexOf(
  tags: Readonly<Record<string, string>> | undefined,
  key: string,
): number | undefined {
  if (tags?.[LAUNCH_TAGS.idempotencyKey] !== key) return undefined;
  const index = Number(tags[LAUNCH_TAGS.launchIndex] ?? '1');
  return Number.isInteger(index) && index >= 1 ? index : undefined;
}

/** A VM's tags without the connector's own: what `describe` shows the user. */
export function userTags(tags: Readonly<Record<string, string>> | undefined): Tags {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(tags ?? {})) {
    if (!RESERVED.has(name) && typeof value === 'string') result[name] = value;
  }
  return result;
}

/** The names of a launch's VMs: the name itself for one VM, `name-1`, `name-2`, … for more. */
export function launchNames(request: Pick<LaunchRequest, 'name' | 'count'>): string[] {
  const count = request.count ?? 1;
  return Array.from({ length: count }, (_, i) => (count === 1 ? request.name : `${request.name}-${i + 1}`));
}

/**
 * Refuses an idempotency key reused by a different launch: `found` holds, by 1-based launch index,
 * the VMs that earlier tries with this key created; each must carry the name this launch gives
 * that index. `noun` is the cloud's word for a VM ("instance", "server").
 */
export function checkSameLaunch(
  found: ReadonlyMap<number, { readonly id: string; readonly name?: string | undefined }>,
  names: readonly string[],
  key: string,
  noun = 'VM',
): void {
  for (const [index, vm] of found) {
    if (names[index - 1] !== vm.name) {
      throw new ConnectorError(
        'INVALID_REQUEST',
        `Idempotency key "${key}" was already used by another launch (it created ${noun} ${vm.id} named "${vm.name ?? ''}"); use a new key for a new launch.`,
      );
    }
  }
}

/** The cloud-specific steps of {@link launchIdempotently}; `T` is the cloud's VM, `P` what creating needs. */
export interface LaunchSteps<T, P> {
  /** What earlier tries of this launch created, by 1-based launch index. */
  find(): Promise<ReadonlyMap<number, T>>;
  /** Resolves what creating needs (image, size, key pair...); runs only when something is missing. */
  prepare(): Promise<P>;
  /** Creates the VM of one index, with the launch's tags, and returns it. */
  create(index: number, name: string, plan: P): Promise<T>;
  /** The id and name of a VM that `find` or `create` returned. */
  identify(vm: T): { readonly id: string; readonly name?: string | undefined };
  /** The cloud's word for a VM, for messages: "server", "instance". */
  readonly noun?: string | undefined;
  /** Create one VM at a time, in index order, stopping at the first failure; default all at once. */
  readonly sequential?: boolean | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * Find → create the missing → look again when a create's answer was lost. Returns the launch's
 * VMs in index order. A key reused by another launch is INVALID_REQUEST; when some creates fail,
 * the first failure is thrown after the others have finished, and a retry with the same key
 * creates only what is still missing.
 */
export async function launchIdempotently<T, P>(
  request: LaunchRequest,
  steps: LaunchSteps<T, P>,
): Promise<T[]> {
  const logger = steps.logger ?? silentLogger;
  const key = request.idempotencyKey;
  const names = launchNames(request);
  const found = new Map(await steps.find());
  checkSameLaunch(
    new Map([...found].map(([index, vm]) => [index, steps.identify(vm)])),
    names,
    key,
    steps.noun,
  );
  const missing = names.map((_, i) => i + 1).filter((index) => !found.has(index));
  if (missing.length > 0) {
    const plan = await steps.prepare();
    const createOrRecover = async (index: number): Promise<void> => {
      try {
        found.set(index, await steps.create(index, names[index - 1] as string, plan));
      } catch (error) {
        if (!isAmbiguousFailure(error)) throw error;
        const made = (await steps.find()).get(index);
        if (made === undefined) throw error;
        logger.info(
          { vm: steps.identify(made).id, index, idempotencyKey: key },
          'the create answer was lost, but the VM exists: using it',
        );
        found.set(index, made);
      }
    };
    let failure: { readonly error: unknown } | undefined;
    if (steps.sequential) {
      for (const index of missing) {
        try {
          await createOrRecover(index);
        } catch (error) {
          failure = { error };
          break;
        }
      }
    } else {
      const results = await Promise.allSettled(missing.map(createOrRecover));
      const rejected = results.find(
        (result): result is PromiseRejectedResult => result.status === 'rejected',
      );
      if (rejected) failure = { error: rejected.reason };
    }
    if (failure) {
      logger.warn(
        { created: [...found.values()].map((vm) => steps.identify(vm).id), idempotencyKey: key },
        'launch failed part-way; launching again with the same idempotency key creates only what is missing',
      );
      throw failure.error;
    }
  }
  return names.map((_, i) => found.get(i + 1) as T);
}
