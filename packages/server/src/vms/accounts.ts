/**
 * Which cloud account a user's saved credentials open. VM records keep the account that launched
 * them, so that after the user saves credentials of another account the server neither takes the
 * VMs it cannot see for terminated nor acts on them through the wrong account.
 *
 * The account is a digest of the credentials' plain values: the fields a connector does not mark
 * secret, which are the ones that say who (key id, user name, project, domain). Secrets never go
 * into it. A connector whose credentials are all secret has a single account as far as the server
 * can tell.
 */

import { createHash } from 'node:crypto';
import { ServerError } from '../errors.js';
import type { StoredValues, VmRecord } from '../store/types.js';

/** The account digest of a saved credential set. */
export function accountOf(values: StoredValues): string {
  const plain = Object.entries(values)
    .filter(([, value]) => value.kind === 'plain')
    .map(([key, value]) => [key, value.kind === 'plain' ? value.value : null] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(plain)).digest('hex').slice(0, 32);
}

/** How an account is shown to people: short enough to compare by eye. */
export function accountLabel(account: string): string {
  return account.slice(0, 12);
}

/**
 * True when the record's VM can be reached with credentials of `account`. Records made before
 * accounts were recorded have none and are taken as the current account's, as they always were.
 */
export function reachableWith(record: Pick<VmRecord, 'account'>, account: string): boolean {
  return record.account === undefined || record.account === account;
}

/** Why a record's VM cannot be reached with the saved credentials, and what to do about it. */
export function unreachableMessage(record: Pick<VmRecord, 'account' | 'instance'>, current: string): string {
  return `This VM was launched on "${record.instance}" with another cloud account (account ${accountLabel(record.account ?? '')}); the credentials saved now are for account ${accountLabel(current)}. Save the credentials of account ${accountLabel(record.account ?? '')} for ${record.instance} again to see and manage it; until then it still counts toward your quota.`;
}

/** CREDENTIALS_INVALID for an action on a VM of another account, naming the account needed. */
export function unreachableError(
  record: Pick<VmRecord, 'account' | 'instance'>,
  current: string,
): ServerError {
  return new ServerError('CREDENTIALS_INVALID', unreachableMessage(record, current), {
    instance: record.instance,
  });
}
