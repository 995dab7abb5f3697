import { ConnectorError, type Tags } from '@slipstream/connector-core';

/**
 * Tags and idempotency through server metadata. Nova's POST /servers takes no client token, so
 * every server a launch creates carries the launch's idempotency key and its index in its
 * metadata, next to the user's tags; a retried launch finds them and creates only what is
 * missing. The two keys are the connector's: `describe` leaves them out of the tags and a launch
 * may not set them.
 */

export const IDEMPOTENCY_KEY = 'slipstream-idempotency-key';
export const INDEX_KEY = 'slipstream-launch-index';
const INTERNAL_KEYS: ReadonlySet<string> = new Set([IDEMPOTENCY_KEY, INDEX_KEY]);

/** Nova's metadata rules (parameter_types.metadata): keys of 1–255 such characters, values ≤ 255. */
const METADATA_KEY = /^[a-zA-Z0-9\-_:. ]{1,255}$/;
const MAX_VALUE = 255;

/** The metadata of the `index`-th server (1-based) of a launch; INVALID_REQUEST for tags Nova would refuse. */
export function launchMetadata(key: string, index: number, tags: Tags | undefined): Record<string, string> {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(tags ?? {})) {
    if (INTERNAL_KEYS.has(name)) {
      problems.push(`tag "${name}" is reserved by the connector for idempotent launches; rename it`);
    } else if (!METADATA_KEY.test(name)) {
      problems.push(
        `tag ${JSON.stringify(name)}: Nova metadata keys are 1 to 255 letters, digits, spaces, "-", "_", ":" or "."`,
      );
    }
    if (value.length > MAX_VALUE) {
      problems.push(
        `tag "${name}": its value is ${value.length} characters, Nova accepts at most ${MAX_VALUE}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `The launch's tags cannot be stored: ${problems.join('; ')}.`,
      {
        problems: problems.map((message) => ({ message })),
      },
    );
  }
  return { ...tags, [IDEMPOTENCY_KEY]: key, [INDEX_KEY]: String(index) };
}

/** The launch index a server's metadata records for `key`; undefined for a server of another launch. */
export function launchIndex(
  metadata: Readonly<Record<string, string>> | undefined,
  key: string,
): number | undefined {
  if (metadata?.[IDEMPOTENCY_KEY] !== key) return undefined;
  const index = Number(metadata[INDEX_KEY]);
  return Number.isInteger(index) && index >= 1 ? index : undefined;
}

/** The user's tags: the metadata without the connector's own keys. */
export function userTags(metadata: Readonly<Record<string, string>> | undefined): Tags {
  return Object.fromEntries(
    Object.entries(metadata ?? {}).filter(
      ([name, value]) => !INTERNAL_KEYS.has(name) && typeof value === 'string',
    ),
  );
}
