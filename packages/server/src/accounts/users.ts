/**
 * User accounts: creating them, changing a role, the disabled flag or the password, and what is
 * shown of them. A change is checked and written in one store transaction, so it is all done or
 * not at all, and the server always keeps at least one enabled administrator.
 */

import { ServerError } from '../errors.js';
import { generatePassword } from '../security/generated.js';
import { hashPassword } from '../security/passwords.js';
import type { Role, Store, UserPatch, UserRecord } from '../store/types.js';

/** Login names people can type and that are safe in logs and URLs. */
export const USER_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]*$';

/** Who someone is, as answers that name a user show it: never the password hash. */
export interface UserView {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
}

export function userView(user: UserRecord): UserView {
  return { id: user.id, name: user.name, role: user.role, createdAt: user.createdAt };
}

/** What the user listing shows of an account: never the password hash. */
export interface AccountView {
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: string;
  /** The account's name before user names became unique case-insensitively, when it was renamed. */
  readonly renamedFrom?: string;
}

/** `renamedFrom`: the account's old names by user id (see {@link renamedFromOf}). */
export function accountView(user: UserRecord, renamedFrom?: ReadonlyMap<string, string>): AccountView {
  const oldName = renamedFrom?.get(user.id);
  return {
    name: user.name,
    role: user.role,
    disabled: user.disabled === true,
    createdAt: user.createdAt,
    ...(oldName === undefined ? {} : { renamedFrom: oldName }),
  };
}

/** The old name of every account renamed to make names unique case-insensitively, by user id. */
export async function renamedFromOf(store: Store): Promise<Map<string, string>> {
  return new Map((await store.listUserRenames()).map((rename) => [rename.userId, rename.oldName]));
}

/** The role of a user created without one: the least privileged. */
export const DEFAULT_ROLE: Role = 'user';

export interface NewAccount {
  readonly name: string;
  /** DEFAULT_ROLE when absent. */
  readonly role?: Role | undefined;
  /** Generated (and returned once) when absent. */
  readonly password?: string | undefined;
}

/** Creates an account; `password` is the generated one, when none was given. */
export async function createAccount(
  store: Store,
  account: NewAccount,
): Promise<{ user: UserRecord; password?: string }> {
  const generated = account.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(account.password ?? (generated as string));
  const role = account.role ?? DEFAULT_ROLE;
  const user = await store.createUser({ name: account.name, role, passwordHash });
  return { user, ...(generated === undefined ? {} : { password: generated }) };
}

export interface AccountChange {
  readonly role?: Role;
  readonly disabled?: boolean;
  /** A new password; null: generate one (returned once). */
  readonly password?: string | null;
}

const LAST_ADMIN =
  'is the last enabled administrator: the server needs one; make another user an administrator first.';

/**
 * Applies a change to the account named `name`. Disabling ends the user's login sessions at once;
 * a new password ends them too, except `keepSession` (an administrator changing their own password
 * stays logged in). `password` is the generated one, when the change asked for one.
 */
export async function changeAccount(
  store: Store,
  name: string,
  change: AccountChange,
  keepSession: string | undefined,
): Promise<{ user: UserRecord; passwordChanged: boolean; password?: string }> {
  const generated = change.password === null ? generatePassword() : undefined;
  const newPassword = change.password ?? generated;
  // Hashed before the transaction: scrypt is slow and the store is locked while it runs.
  const passwordHash = newPassword === undefined ? undefined : await hashPassword(newPassword);
  const patch: UserPatch = {
    ...(change.role === undefined ? {} : { role: change.role }),
    ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
    ...(passwordHash === undefined ? {} : { passwordHash }),
  };
  const user = await store.transaction(async (tx) => {
    const target = await tx.getUserByName(name);
    if (target === undefined) {
      throw new ServerError(
        'NOT_FOUND',
        `There is no user named "${name}"; list the users with GET /api/users.`,
      );
    }
    if (!keepsAnAdmin(await tx.listUsers(), target, patch)) {
      throw new ServerError('INVALID_REQUEST', `"${target.name}" ${LAST_ADMIN}`);
    }
    const updated = await tx.updateUser(target.id, patch);
    // Sessions are checked per request, so deleting them makes the change take effect at once.
    if (change.disabled === true) await tx.deleteSessionsOfUser(updated.id);
    else if (passwordHash !== undefined) await endOtherSessions(tx, updated, keepSession);
    return updated;
  });
  return {
    user,
    passwordChanged: passwordHash !== undefined,
    ...(generated === undefined ? {} : { password: generated }),
  };
}

/** Whether an enabled administrator remains once `patch` applies to `target`. */
function keepsAnAdmin(users: readonly UserRecord[], target: UserRecord, patch: UserPatch): boolean {
  return users.some((user) => {
    const changed = user.id === target.id ? { ...user, ...patch } : user;
    return changed.role === 'admin' && changed.disabled !== true;
  });
}

async function endOtherSessions(tx: Store, user: UserRecord, keep: string | undefined): Promise<void> {
  const kept = keep === undefined ? undefined : await tx.getSession(keep);
  await tx.deleteSessionsOfUser(user.id);
  if (kept !== undefined && kept.userId === user.id) await tx.createSession(kept);
}
