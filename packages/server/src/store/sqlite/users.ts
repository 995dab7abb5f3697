import {
  checkRole,
  isForeignKeyError,
  missingUser,
  nameTaken,
  newUserRecord,
  ownsVms,
  requireText,
  sqliteCode,
  type UserRow,
  userFromRow,
} from '../rows.js';
import type { NewUser, UserPatch, UserRecord, UserRename, UserStore } from '../types.js';
import type { SqliteContext } from './context.js';

export class SqliteUserStore implements UserStore {
  constructor(private readonly context: SqliteContext) {}

  createUser(user: NewUser): Promise<UserRecord> {
    return this.context.run(() => {
      const record = newUserRecord(user, this.context.timestamp());
      const name = record.name;
      try {
        this.context.db
          .prepare(
            'INSERT INTO users (id, name, role, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(
            record.id,
            record.name,
            record.role,
            record.passwordHash,
            record.createdAt,
            user.disabled ? 1 : 0,
          );
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE')
          throw nameTaken(name, this.userByName(name)?.name);
        throw error;
      }
      return record;
    });
  }

  private userByName(name: string): UserRecord | undefined {
    // NOCASE, as the users_name_nocase index compares, which this lookup uses.
    const row = this.context.db.prepare('SELECT * FROM users WHERE name = ? COLLATE NOCASE').get(name) as
      | UserRow
      | undefined;
    return row && userFromRow(row);
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    return this.context.run(() => {
      const row = this.context.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
      return row && userFromRow(row);
    });
  }

  getUserByName(name: string): Promise<UserRecord | undefined> {
    return this.context.run(() => this.userByName(name));
  }

  listUsers(): Promise<UserRecord[]> {
    return this.context.run(() =>
      (this.context.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(userFromRow),
    );
  }

  listUserRenames(): Promise<UserRename[]> {
    return this.context.run(() =>
      (
        this.context.db.prepare('SELECT * FROM user_renames ORDER BY renamed_at, rowid').all() as {
          user_id: string;
          old_name: string;
          new_name: string;
          renamed_at: string;
        }[]
      ).map((row) => ({
        userId: row.user_id,
        oldName: row.old_name,
        newName: row.new_name,
        renamedAt: row.renamed_at,
      })),
    );
  }

  updateUser(id: string, patch: UserPatch): Promise<UserRecord> {
    return this.context.run(() => {
      if (patch.role !== undefined) checkRole(patch.role);
      if (patch.passwordHash !== undefined) requireText(patch.passwordHash, 'The password hash');
      const result = this.context.db
        .prepare(
          `UPDATE users SET role = COALESCE(?, role), password_hash = COALESCE(?, password_hash),
             disabled = COALESCE(?, disabled) WHERE id = ?`,
        )
        .run(
          patch.role ?? null,
          patch.passwordHash ?? null,
          patch.disabled === undefined ? null : patch.disabled ? 1 : 0,
          id,
        );
      if (result.changes === 0) throw missingUser(id);
      return userFromRow(this.context.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow);
    });
  }

  deleteUser(id: string): Promise<void> {
    return this.context.run(() => {
      try {
        const result = this.context.db.prepare('DELETE FROM users WHERE id = ?').run(id);
        if (result.changes === 0) throw missingUser(id);
      } catch (error) {
        if (isForeignKeyError(error)) throw ownsVms(id);
        throw error;
      }
    });
  }
}

/**
 * Runs a write that references a user (sessions, tokens, credentials, quotas, VM records), so that
 * a missing user is NOT_FOUND instead of a SQLite foreign key error.
 */
export function forUser<T>(userId: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isForeignKeyError(error)) throw missingUser(userId);
    throw error;
  }
}
