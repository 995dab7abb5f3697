import { createHash } from 'node:crypto';
import { LAUNCH_TAGS } from '@slipstream/connector-core';

/**
 * Exoscale labels are the tags of core's idempotent launches (`LAUNCH_TAGS`). Exoscale's
 * create-instance takes no client token, so a retried launch lists the zone's instances by the
 * idempotency-key label (GET /instance?labels=key=value) and creates only the indexes missing.
 * Only the label's value is Exoscale's own: it keeps label values short and plain, so other keys
 * are stored as a digest.
 */

/** Label values kept to letters, digits, ".", "_" and "-"; other keys are stored as a digest. */
const PLAIN_VALUE = /^[A-Za-z0-9._-]{1,63}$/;

/** The idempotency key as the label stores it. */
export function idempotencyLabelValue(key: string): string {
  return PLAIN_VALUE.test(key)
    ? key
    : `sha256-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** The `labels` filter of GET /instance that finds a launch's instances. */
export function launchFilter(key: string): string {
  return `${LAUNCH_TAGS.idempotencyKey}=${idempotencyLabelValue(key)}`;
}
