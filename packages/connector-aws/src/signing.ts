import type { Credentials } from '@slipstream/connector-core';

/**
 * AWS authentication, the parts that are ours. The AWS SDK signs every request with Signature
 * Version 4 itself (its signing middleware, before the request reaches our handler); what is left
 * to us is handing it the user's credentials and knowing which parts of a signed request are
 * secret, so that the transport scrubs them from every log line and error message.
 */

/** The SDK's credential identity from the user's credentials. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export function credentialIdentity(credentials: Credentials): AwsCredentialIdentity {
  const sessionToken = credentials['session.token']?.trim();
  return {
    accessKeyId: (credentials.key ?? '').trim(),
    secretAccessKey: credentials.secret ?? '',
    ...(sessionToken ? { sessionToken } : {}),
  };
}

/**
 * What no log line or error may show: the secret access key and the session token, and the access
 * key id too — not a secret to AWS, but it names the user's key, so it stays out of our output.
 */
export function credentialSecrets(identity: AwsCredentialIdentity): string[] {
  return [identity.secretAccessKey, identity.sessionToken, identity.accessKeyId].filter(
    (value): value is string => value !== undefined && value !== '',
  );
}

const SIGNATURE = /Signature=([0-9a-f]{64})/i;

/**
 * The secret parts of one signed request: the signature of its `Authorization` header (or of a
 * presigned `X-Amz-Signature`) and its `X-Amz-Security-Token`. Header names in any case.
 */
export function signedRequestSecrets(headers: Readonly<Record<string, string>>, query = ''): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const signature = SIGNATURE.exec(value)?.[1];
      if (signature) secrets.push(signature);
    } else if (lower === 'x-amz-security-token' && value !== '') {
      secrets.push(value);
    }
  }
  const presigned = /(?:^|&)X-Amz-Signature=([0-9a-f]{64})/i.exec(query)?.[1];
  if (presigned) secrets.push(presigned);
  return secrets;
}
