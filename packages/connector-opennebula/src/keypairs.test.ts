import { describe, expect, it } from 'vitest';
import { contextSshKey, PROFILE_SSH_KEY } from './keypairs.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

describe('the SSH key of a VM’s context', () => {
  it('is the key given', () => {
    expect(contextSshKey(`${KEY}\n`)).toBe(KEY);
  });

  it("is the user's profile key when the launch brings none", () => {
    expect(contextSshKey(undefined)).toBe(PROFILE_SSH_KEY);
    expect(contextSshKey('  ')).toBe(PROFILE_SSH_KEY);
  });
});
