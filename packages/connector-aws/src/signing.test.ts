import { describe, expect, it } from 'vitest';
import { credentialIdentity, credentialSecrets, signedRequestSecrets } from './signing.js';

// The signature of AWS's published Signature Version 4 example (IAM ListUsers, "Examples of the
// complete Signature Version 4 signing process"), as a signed request's Authorization header holds it.
const SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

describe('credentialIdentity', () => {
  it('reads the access key, the secret and an optional session token', () => {
    expect(
      credentialIdentity({ key: ' AKIDEXAMPLE ', secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }),
    ).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
    expect(
      credentialIdentity({ key: 'ASIAEXAMPLE', secret: 's', 'session.token': 'token' }).sessionToken,
    ).toBe('token');
    expect(
      credentialIdentity({ key: 'AKIDEXAMPLE', secret: 's', 'session.token': '  ' }).sessionToken,
    ).toBeUndefined();
  });

  it('keeps the secret, the session token and the key id out of logs and errors', () => {
    expect(
      credentialSecrets({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' }),
    ).toEqual(['secret', 'token', 'AKID']);
    expect(credentialSecrets({ accessKeyId: 'AKID', secretAccessKey: 'secret' })).toEqual(['secret', 'AKID']);
  });
});

describe('signedRequestSecrets', () => {
  it('finds the signature in the Authorization header and the security token, in any header case', () => {
    expect(
      signedRequestSecrets({
        Authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${SIGNATURE}`,
        'X-Amz-Security-Token': 'session-token',
        'x-amz-date': '20150830T123600Z',
      }),
    ).toEqual([SIGNATURE, 'session-token']);
  });

  it('finds the signature of a presigned query string', () => {
    expect(signedRequestSecrets({}, `Action=DescribeInstances&X-Amz-Signature=${SIGNATURE}`)).toEqual([
      SIGNATURE,
    ]);
  });

  it('finds nothing in an unsigned request', () => {
    expect(signedRequestSecrets({ 'content-type': 'application/x-www-form-urlencoded' })).toEqual([]);
  });
});
