import { ConnectorError } from '@slipstream/connector-core';

/**
 * OpenNebula's core authentication: every XML-RPC call's first parameter is the session string
 * `username:password` (OpenNebula's API reference, "Authentication"; the same form as a
 * `ONE_AUTH` file). oned splits it at the first colon, so a password may hold colons but a
 * username may not. Pure functions: the client puts the session into each attempt's body.
 */

export interface OpenNebulaIdentity {
  readonly username: string;
  readonly password: string;
}

/** The identity in validated credentials; CREDENTIALS_INVALID names what is wrong and how to fix it. */
export function identityOf(credentials: Readonly<Record<string, string>>): OpenNebulaIdentity {
  const username = credentials.username ?? '';
  const password = credentials.password ?? '';
  if (username.trim() === '') {
    throw new ConnectorError(
      'CREDENTIALS_INVALID',
      'Credential "username" is empty; enter your OpenNebula user name.',
    );
  }
  if (username.includes(':')) {
    throw new ConnectorError(
      'CREDENTIALS_INVALID',
      `Credential "username" ("${username}") contains a colon, which OpenNebula user names cannot: the session string is "username:password". Enter the user name alone.`,
    );
  }
  if (password === '') {
    throw new ConnectorError(
      'CREDENTIALS_INVALID',
      'Credential "password" is empty; enter your OpenNebula password.',
    );
  }
  return { username, password };
}

/** The session string every call sends as its first parameter. */
export function sessionString(identity: OpenNebulaIdentity): string {
  return `${identity.username}:${identity.password}`;
}
