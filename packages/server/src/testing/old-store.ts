import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, migrate } from '../store/migrations.js';
import type { Role } from '../store/types.js';

/** Test helper: store files as servers of older schema versions left them. */

export interface OldUser {
  readonly name: string;
  readonly createdAt: string;
  readonly role?: Role;
  readonly passwordHash?: string;
}

/**
 * Writes `file` at schema `version` (only the first `version` migrations applied) holding `users`,
 * inserted in the order given; returns their ids in that order. `more` runs on the open database
 * before it is closed, to add rows of other tables.
 */
export function writeOldStore(
  file: string,
  version: number,
  users: readonly OldUser[],
  more?: (db: BetterSqlite3.Database, ids: readonly string[]) => void,
): string[] {
  mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, version));
    const insert = db.prepare(
      'INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const ids = users.map((user) => {
      const id = randomUUID();
      insert.run(id, user.name, user.role ?? 'user', user.passwordHash ?? 'scrypt$old', user.createdAt);
      return id;
    });
    more?.(db, ids);
    return ids;
  } finally {
    db.close();
  }
}
