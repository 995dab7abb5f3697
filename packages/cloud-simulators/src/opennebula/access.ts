import type { SimAccount } from '../model/types.js';
import { apiError } from './errors.js';

/**
 * Who sees and uses what, as oned decides for a user outside the oneadmin group: an object's
 * owner, group and the Unix-like permission bits (USE, MANAGE, ADMIN for owner, group, others),
 * the pool filter flags of the `*pool.info` calls, and their paging.
 */

export interface Permissions {
  readonly ownerU: 0 | 1;
  readonly ownerM: 0 | 1;
  readonly ownerA: 0 | 1;
  readonly groupU: 0 | 1;
  readonly groupM: 0 | 1;
  readonly groupA: 0 | 1;
  readonly otherU: 0 | 1;
  readonly otherM: 0 | 1;
  readonly otherA: 0 | 1;
}

function octal(mode: string): Permissions {
  const bits = [...mode].map((digit) => Number.parseInt(digit, 8));
  const bit = (digit: number | undefined, mask: number): 0 | 1 => (((digit ?? 0) & mask) !== 0 ? 1 : 0);
  const [owner, group, other] = bits;
  return {
    ownerU: bit(owner, 4),
    ownerM: bit(owner, 2),
    ownerA: bit(owner, 1),
    groupU: bit(group, 4),
    groupM: bit(group, 2),
    groupA: bit(group, 1),
    otherU: bit(other, 4),
    otherM: bit(other, 2),
    otherA: bit(other, 1),
  };
}

/** What oned's default umask (177) leaves a new object: the owner may use and manage it. */
export const OWNER_ONLY: Permissions = Object.freeze(octal('600'));
/** Shared with the owner's group for use, as an operator shares templates and networks. */
export const GROUP_USE: Permissions = Object.freeze(octal('640'));

export function permissionsXml(p: Permissions): string {
  return (
    `<PERMISSIONS><OWNER_U>${p.ownerU}</OWNER_U><OWNER_M>${p.ownerM}</OWNER_M><OWNER_A>${p.ownerA}</OWNER_A>` +
    `<GROUP_U>${p.groupU}</GROUP_U><GROUP_M>${p.groupM}</GROUP_M><GROUP_A>${p.groupA}</GROUP_A>` +
    `<OTHER_U>${p.otherU}</OTHER_U><OTHER_M>${p.otherM}</OTHER_M><OTHER_A>${p.otherA}</OTHER_A></PERMISSIONS>`
  );
}

/** An object oned authorizes access to. */
export interface Owned {
  readonly id: number;
  readonly uid: number;
  readonly gid: number;
  readonly permissions: Permissions;
}

/** The authenticated user of a call. */
export interface Caller {
  readonly account: SimAccount;
  readonly uid: number;
  readonly uname: string;
  readonly gid: number;
  readonly gname: string;
  /** Every group the user is in (its primary group only, here). */
  readonly groups: ReadonlySet<number>;
}

/** The pool filter flags: -4 primary group, -3 mine, -2 all, -1 mine and my groups', >= 0 a user's. */
export const POOL_FILTER = Object.freeze({ GROUP: -4, MINE: -3, ALL: -2, MINE_GROUP: -1 } as const);

function shared(object: Owned, caller: Caller): boolean {
  return (
    object.permissions.otherU === 1 || (caller.groups.has(object.gid) && object.permissions.groupU === 1)
  );
}

/**
 * Whether a pool listing with this filter flag shows the object to the caller (PoolSQL::usr_filter
 * for a user without ACL rules beyond the defaults). A flag below -4 is oned's XML_RPC_API error.
 */
export function listedBy(filter: number, object: Owned, caller: Caller): boolean {
  const mine = object.uid === caller.uid;
  switch (filter) {
    case POOL_FILTER.MINE:
      return mine;
    case POOL_FILTER.GROUP:
      return (
        object.gid === caller.gid &&
        (object.permissions.otherU === 1 || mine || object.permissions.groupU === 1)
      );
    case POOL_FILTER.MINE_GROUP:
      // Others' objects only from the caller's groups, even those shared with everyone.
      return (
        mine ||
        (caller.groups.has(object.gid) &&
          (object.permissions.otherU === 1 || object.permissions.groupU === 1))
      );
    case POOL_FILTER.ALL:
      return mine || shared(object, caller);
    default:
      return object.uid === filter && (filter === caller.uid || shared(object, caller));
  }
}

export function checkFilter(filter: number): void {
  if (filter < POOL_FILTER.GROUP) throw apiError('Incorrect filter_flag');
}

/** USE: the owner with OWNER_U, a group member with GROUP_U, anyone with OTHER_U. */
export function canUse(object: Owned, caller: Caller): boolean {
  return (object.uid === caller.uid && object.permissions.ownerU === 1) || shared(object, caller);
}

/** MANAGE: the owner with OWNER_M, a group member with GROUP_M, anyone with OTHER_M. */
export function canManage(object: Owned, caller: Caller): boolean {
  const p = object.permissions;
  return (
    (object.uid === caller.uid && p.ownerM === 1) ||
    (caller.groups.has(object.gid) && p.groupM === 1) ||
    p.otherM === 1
  );
}

/**
 * A page of a pool, newest first (oned's default API_LIST_ORDER is DESC). With `end` >= -1,
 * `start`..`end` is an id range (-1 leaves a side open; a `start` of -1 means the whole pool);
 * with `end` < -1, `start` is an offset and -`end` the page size.
 */
export function pageOf<T extends { readonly id: number }>(
  items: readonly T[],
  start: number,
  end: number,
): T[] {
  let selected = [...items];
  if (end >= -1 && start !== -1) {
    selected = selected.filter((item) => item.id >= start && (end === -1 || item.id <= end));
  }
  selected.sort((a, b) => b.id - a.id);
  if (end < -1) {
    // SQLite, oned's default back-end, reads a negative offset as none.
    const offset = Math.max(0, start);
    selected = selected.slice(offset, offset - end);
  }
  return selected;
}
