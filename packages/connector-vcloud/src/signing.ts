import { ConnectorError } from '@slipstream/connector-core';

/**
 * vCloud Director's authentication, as pure functions. A session is opened with HTTP Basic
 * (RFC 7617) of `user@org:password` on `POST /cloudapi/1.0.0/sessions`; the answer's
 * `X-VMWARE-VCLOUD-ACCESS-TOKEN` header is then sent as `Authorization: Bearer <token>`. Every
 * request names the API version in its Accept header: JSON for cloudapi, XML for the /api calls.
 */

export interface VcloudIdentity {
  readonly username: string;
  readonly org: string;
  readonly password: string;
}

/** The identity in validated credentials; CREDENTIALS_INVALID says what is wrong. */
export function identityOf(credentials: Readonly<Record<string, string>>, org: string): VcloudIdentity {
  const username = (credentials.username ?? '').trim();
  const password = credentials.password ?? '';
  if (username === '') {
    throw new ConnectorError(
      'CREDENTIALS_INVALID',
      'Credential "username" is empty; enter your vCloud Director user name.',
    );
  }
  if (username.includes('@')) {
    throw new ConnectorError(
      'CREDENTIALS_INVALID',
      `Credential "username" ("${username}") contains "@": give the user name alone, without "@${org}"; the organization is the instance's "org" parameter.`,
    );
  }
  if (password === '') {
    throw new ConnectorError(
      'CREDENTIALS_INVALID',
      'Credential "password" is empty; enter your vCloud Director password.',
    );
  }
  return { username, org, password };
}

/** RFC 7617's Basic credentials of a user and password, UTF-8 encoded. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** The Authorization header that opens a cloudapi session: Basic of `user@org:password`. */
export function loginAuthorization(identity: VcloudIdentity): string {
  return basicAuthorization(`${identity.username}@${identity.org}`, identity.password);
}

export function bearerAuthorization(token: string): string {
  return `Bearer ${token}`;
}

/** The Accept header of a cloudapi (JSON) call at an API version. */
export function jsonAccept(version: string): string {
  return `application/json;version=${version}`;
}

/** The Accept header of an /api (XML) call at an API version. */
export function xmlAccept(version: string): string {
  return `application/*+xml;version=${version}`;
}
