import { ROLES } from '../store/types.js';

/** The schema of accounts/users.ts's UserView, as answers that name a user carry it. */
export const USER_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'role', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;
