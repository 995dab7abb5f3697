import { describe, expect, it } from 'vitest';
import { keyPairName } from './keypairs.js';

const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop';

describe('keyPairName', () => {
  it('names a key after its body: the same key under any comment has one name, another key another', () => {
    const name = keyPairName(ED25519);
    expect(name).toMatch(/^slipstream-[0-9a-f]{32}$/);
    expect(keyPairName(ED25519.replace('alice@laptop', 'bob'))).toBe(name);
    expect(keyPairName(`  ${ED25519}\n`)).toBe(name);
    expect(keyPairName(ED25519.replace('GKJl', 'GKJm'))).not.toBe(name);
  });

  it('refuses what is not an OpenSSH public key, saying what one looks like', () => {
    expect(() => keyPairName('-----BEGIN OPENSSH PRIVATE KEY-----')).toThrow(
      /not an OpenSSH public key.*ssh-ed25519/,
    );
  });
});
