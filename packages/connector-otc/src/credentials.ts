import { ConnectorError, type Credentials, type Problem } from '@slipstream/connector-core';

/**
 * The two ways an OTC user signs in, chosen from which credentials are filled in: an IAM user
 * (user name, password and tenant domain; requests carry an IAM token) or an access key (AK/SK;
 * every request is signed). Credential specs cannot say "these three, or those two", so every
 * credential is optional and the combination is checked here, each missing or extra one named.
 */

export interface PasswordCredentials {
  readonly kind: 'password';
  readonly username: string;
  readonly password: string;
  readonly domain: string;
  /** Project name or id; undefined: the region's project. */
  readonly project: string | undefined;
}

export interface AccessKeyCredentials {
  readonly kind: 'access-key';
  readonly accessKey: string;
  readonly secretKey: string;
  readonly project: string | undefined;
}

export type OtcCredentials = PasswordCredentials | AccessKeyCredentials;

const PASSWORD_KEYS = ['username', 'password', 'domain'] as const;
const ACCESS_KEY_KEYS = ['access.key', 'secret.key'] as const;

const HOW =
  'Give either username, password and domain (an IAM user and its tenant), or access.key and secret.key (an access key of the user).';

function filled(credentials: Credentials, key: string): string | undefined {
  const value = credentials[key];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function invalid(problems: Problem[]): ConnectorError {
  return new ConnectorError(
    'CREDENTIALS_INVALID',
    `The credentials do not name one way of signing in:\n${problems.map((problem) => `  - ${problem.message}`).join('\n')}`,
    {
      problems,
    },
  );
}

/** The sign-in the credentials describe; CREDENTIALS_INVALID naming what is missing or extra. */
export function readCredentials(credentials: Credentials): OtcCredentials {
  const passwordGiven = PASSWORD_KEYS.filter((key) => filled(credentials, key) !== undefined);
  const keyGiven = ACCESS_KEY_KEYS.filter((key) => filled(credentials, key) !== undefined);
  const project = filled(credentials, 'project')?.trim();

  if (passwordGiven.length > 0 && keyGiven.length > 0) {
    throw invalid(
      [...passwordGiven, ...keyGiven].map((key) => ({
        key,
        message: `Credential "${key}" is given together with ${
          (PASSWORD_KEYS as readonly string[]).includes(key)
            ? 'an access key'
            : 'an IAM user name or password'
        }: use one way of signing in. ${HOW}`,
      })),
    );
  }
  if (keyGiven.length > 0) {
    const missing = ACCESS_KEY_KEYS.filter((key) => !keyGiven.includes(key));
    if (missing.length > 0) {
      throw invalid(
        missing.map((key) => ({
          key,
          message: `Credential "${key}" is required with ${keyGiven.map((k) => `"${k}"`).join(' and ')}: an access key is the pair of access.key and secret.key.`,
        })),
      );
    }
    return {
      kind: 'access-key',
      accessKey: (filled(credentials, 'access.key') as string).trim(),
      secretKey: filled(credentials, 'secret.key') as string,
      project,
    };
  }
  const missing = PASSWORD_KEYS.filter((key) => !passwordGiven.includes(key));
  if (missing.length > 0) {
    const given = passwordGiven.length > 0 ? ` with ${passwordGiven.map((k) => `"${k}"`).join(' and ')}` : '';
    throw invalid(
      missing.map((key) => ({ key, message: `Credential "${key}" is required${given}. ${HOW}` })),
    );
  }
  return {
    kind: 'password',
    username: (filled(credentials, 'username') as string).trim(),
    password: filled(credentials, 'password') as string,
    domain: (filled(credentials, 'domain') as string).trim(),
    project,
  };
}
