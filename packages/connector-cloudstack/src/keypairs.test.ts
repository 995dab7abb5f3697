import { describe, expect, it } from 'vitest';
import { keyFingerprint, keyPairName } from './keypairs.js';
import { SSH_KEY } from './testing/fixtures.js';

describe('SSH key pair naming', () => {
  it("computes CloudStack's fingerprint: MD5 of the key blob, colon-separated", () => {
    // What `ssh-keygen -l -E md5` prints for the same key.
    expect(keyFingerprint(SSH_KEY)).toBe('52:05:a9:c8:30:09:d8:6d:ae:ed:d1:a3:91:3c:a8:07');
  });

  it('derives a stable name from the key, ignoring its comment', () => {
    const name = keyPairName(SSH_KEY);
    expect(name).toMatch(/^slipstream-[0-9a-f]{16}$/);
    expect(keyPairName(SSH_KEY.replace('tester@example', 'someone@else'))).toBe(name);
    expect(keyPairName(SSH_KEY.replace('LTAx', 'LTAy'))).not.toBe(name);
  });
});
