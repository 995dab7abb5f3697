import { describe, expect, it } from 'vitest';
import { contextSshKey, PROFILE_SSH_KEY } from './keypairs.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

describe('the SSH key of a VM’s context', () => {
  it('is the key given, several one per line', () => {
    expect(contextSshKey(KEY)).toBe(KEY);
    expect(contextSshKey(`${KEY}\r\n\n${KEY.replace('test', 'other')}\n`)).toBe(
      `${KEY}\n${KEY.replace('test', 'other')}`,
    );
  });

  it("is the user's profile key when the launch brings none", () => {
    expect(contextSshKey(undefined)).toBe(PROFILE_SSH_KEY);
    expect(contextSshKey('  ')).toBe(PROFILE_SSH_KEY);
  });

  it('refuses what is not a public key line, naming it', () => {
    expect(() => contextSshKey('-----BEGIN OPENSSH PRIVATE KEY-----')).toThrow(
      /not an OpenSSH public key line/,
    );
  });
});
