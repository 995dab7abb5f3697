import {
  checkRole,
  missingUser,
  nameTaken,
  newUserRecord,
  ownsVms,
  requireText,
  type UserRow,
  userFromRow,
} from '../rows.js';
import type { NewUser, UserPatch, UserRecord, UserRename, UserStore } from '../types.js';
import { isPgForeignKeyError, NAME_KEY, type PgContext, pgCode } from './context.js';

export class PgUserStore implements UserStore {
  constructor(private readonly context: PgContext) {}

  async createUser(user: NewUser): Promise<UserRecord> {
    const record = newUserRecord(user, this.context.timestamp());
    const name = record.name;
    try {
      await this.context.execute(
        'INSERT INTO users (id, name, role, password_hash, created_at, disabled) VALUES ($1, $2, $3, $4, $5, $6)',
        [record.id, record.name, record.role, record.passwordHash, record.createdAt, user.disabled ? 1 : 0],
      );
    } catch (error) {
      if (pgCode(error) === '23505') throw nameTaken(name, (await this.getUserByName(name))?.name);
      throw error;
    }
    return record;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const [row] = await this.context.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return row && userFromRow(row);
  }

  async getUserByName(name: string): Promise<UserRecord | undefined> {
    const [row] = await this.context.query<UserRow>(
      `SELECT * FROM users WHERE ${NAME_KEY('name')} = ${NAME_KEY('$1')}`,
      [String(name)],
    );
    return row && userFromRow(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    // COLLATE "C" orders by code point, as SQLite's BINARY does.
    return (await this.context.query<UserRow>('SELECT * FROM users ORDER BY name COLLATE "C"')).map(
      userFromRow,
    );
  }

  async listUserRenames(): Promise<UserRename[]> {
    const rows = await this.context.query<{
      user_id: string;
      old_name: string;
      new_name: string;
      renamed_at: string;
    }>('SELECT * FROM user_renames ORDER BY renamed_at, seq');
    return rows.map((row) => ({
      userId: row.user_id,
      oldName: row.old_name,
      newName: row.new_name,
      renamedAt: row.renamed_at,
    }));
  }

  async updateUser(id: string, patch: UserPatch): Promise<UserRecord> {
    if (patch.role !== undefined) checkRole(patch.role);
    if (patch.passwordHash !== undefined) requireText(patch.passwordHash, 'The password hash');
    const [row] = await this.context.query<UserRow>(
      `UPDATE users SET role = COALESCE($1, role), password_hash = COALESCE($2, password_hash),
         disabled = COALESCE($3, disabled) WHERE id = $4 RETURNING *`,
      [
        patch.role ?? null,
        patch.passwordHash ?? null,
        patch.disabled === undefined ? null : patch.disabled ? 1 : 0,
        id,
      ],
    );
    if (row === undefined) throw missingUser(id);
    return userFromRow(row);
  }

  async deleteUser(id: string): Promise<void> {
    let deleted: number;
    try {
      deleted = await this.context.execute('DELETE FROM users WHERE id = $1', [id]);
    } catch (error) {
      if (isPgForeignKeyError(error)) throw ownsVms(id);
      throw error;
    }
    if (deleted === 0) throw missingUser(id);
  }
}

/** Runs a write that references a user, so that a missing user is NOT_FOUND, not a foreign key error. */
export async function forUser<T>(userId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPgForeignKeyError(error)) throw missingUser(userId);
    throw error;
  }
}
