import type { UserRecord } from '../store/types.js';

/** What the API shows of a user: never the password hash. */
export interface UserView {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly createdAt: string;
}

export function userView(user: UserRecord): UserView {
  return { id: user.id, name: user.name, role: user.role, createdAt: user.createdAt };
}

export const USER_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'role', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'user'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;
