import { createHash } from 'node:crypto';
import { ConnectorError, type Tags } from '@slipstream/connector-core';

/**
 * Idempotent launches through labels. Exoscale's create-instance takes no client token, so every
 * instance a launch creates carries the launch's idempotency key and its index as labels; a
 * retried launch lists the zone's instances by that label (GET /instance?labels=key=value) and
 * creates only the indexes that are missing. The labels are the connector's, not the user's:
 * `describe` leaves them out of the tags, and a launch may not set them.
 */

export const IDEMPOTENCY_LABEL = 'slipstream-idempotency-key';
export const INDEX_LABEL = 'slipstream-launch-index';
const INTERNAL_LABELS: ReadonlySet<string> = new Set([IDEMPOTENCY_LABEL, INDEX_LABEL]);

/** Label values kept to letters, digits, ".", "_" and "-"; other keys are stored as a digest. */
const PLAIN_VALUE = /^[A-Za-z0-9._-]{1,63}$/;

export function idempotencyLabelValue(key: string): string {
  return PLAIN_VALUE.test(key)
    ? key
    : `sha256-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** The `labels` filter of GET /instance that finds a launch's instances. */
export function launchFilter(key: string): string {
  return `${IDEMPOTENCY_LABEL}=${idempotencyLabelValue(key)}`;
}

/** The labels of the `index`-th instance (1-based) of a launch: the user's tags and ours. */
export function launchLabels(key: string, index: number, tags: Tags | undefined): Record<string, string> {
  const reserved = Object.keys(tags ?? {}).filter((name) => INTERNAL_LABELS.has(name));
  if (reserved.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Tag${reserved.length > 1 ? 's' : ''} ${reserved.map((name) => `"${name}"`).join(', ')} ${reserved.length > 1 ? 'are' : 'is'} reserved by the Exoscale connector for idempotent launches; rename ${reserved.length > 1 ? 'them' : 'it'}.`,
    );
  }
  return { ...tags, [IDEMPOTENCY_LABEL]: idempotencyLabelValue(key), [INDEX_LABEL]: String(index) };
}

/** The launch index an instance's labels record; undefined for an instance of no launch. */
export function launchIndex(labels: Readonly<Record<string, string>> | undefined): number | undefined {
  const value = labels?.[INDEX_LABEL];
  const index = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(index) && index >= 1 ? index : undefined;
}

/** The user's tags: the labels without the connector's own. */
export function userTags(labels: Readonly<Record<string, string>> | undefined): Tags {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([name]) => !INTERNAL_LABELS.has(name)));
}
